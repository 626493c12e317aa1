package io.sessionreplication.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Sends a signal to a process the test started, by its process id, with {@code kill}: for
 * the faults of {@link ProcessMember}, and of other processes a test starts.
 */
public final class Signals {

	private Signals() {
	}

	/**
	 * Send a signal.
	 * @param process the process
	 * @param signal the signal's name, for example {@code STOP} or {@code HUP}
	 * @throws IllegalStateException if {@code kill} fails or does not finish within 10 s
	 */
	public static void send(Process process, String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
