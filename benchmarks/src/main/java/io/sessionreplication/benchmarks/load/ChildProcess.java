package io.sessionreplication.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A process the load benchmark started (a node, a Redis server), with its output in a log
 * file. It reads the process's CPU time, context switches and peak resident memory from
 * {@code /proc}, so it works on Linux only. It stops only the process it started, by its
 * PID.
 */
final class ChildProcess {

	/** Clock ticks per second of {@code /proc/<pid>/stat} times, 100 on Linux. */
	private static final long TICKS_PER_SECOND = 100;

	private static final Duration PROBE_INTERVAL = Duration.ofMillis(200);

	private final String name;

	private final Process process;

	private final Path logFile;

	private ChildProcess(String name, Process process, Path logFile) {
		this.name = name;
		this.process = process;
		this.logFile = logFile;
	}

	/**
	 * Start a process, its output and errors to a log file; it is killed when the
	 * benchmark's JVM exits, if it is still running then.
	 * @param name what the process is, for messages
	 * @param command the command and its arguments
	 * @param logFile where its output goes
	 * @return the process, started
	 * @throws IOException if it could not be started
	 */
	static ChildProcess start(String name, List<String> command, Path logFile) throws IOException {
		Files.createDirectories(logFile.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(logFile.toFile())
			.start();
		Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
		return new ChildProcess(name, process, logFile);
	}

	/**
	 * Wait until the process is ready, asking the probe every 200 ms.
	 * @param probe whether the process is ready; false also where it cannot tell yet
	 * @param timeout how long to wait
	 * @throws IllegalStateException if the process exits first or the time runs out
	 */
	void awaitReady(BooleanSupplier probe, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited before it was ready; see " + this.logFile);
			}
			if (probe.getAsBoolean()) {
				return;
			}
			BenchmarkNode.pause(PROBE_INTERVAL);
		}
		throw new IllegalStateException(this.name + " was not ready within " + timeout + "; see " + this.logFile);
	}

	String name() {
		return this.name;
	}

	/**
	 * The CPU time the process has used so far, user and system.
	 * @return the CPU time
	 */
	Duration cpuTime() {
		String stat = read("stat");
		// the fields after the command name, which is in parentheses and may hold spaces
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
	}

	/**
	 * The context switches of the process's threads so far, added up from each thread's
	 * {@code /proc/<pid>/task/<tid>/status}. Threads that have exited are not counted, so
	 * a difference over a window is right only for threads that live through it, as a
	 * server's pools do at steady state.
	 * @return the context switches
	 */
	ContextSwitches contextSwitches() {
		Path tasks = Path.of("/proc", String.valueOf(this.process.pid()), "task");
		try (Stream<Path> threads = Files.list(tasks)) {
			return threads.map(ChildProcess::contextSwitchesOf).reduce(ContextSwitches.NONE, ContextSwitches::plus);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list the threads of " + this.name, ex);
		}
	}

	private static ContextSwitches contextSwitchesOf(Path thread) {
		long voluntary = 0;
		long involuntary = 0;
		try {
			for (String line : Files.readString(thread.resolve("status")).split("\n")) {
				if (line.startsWith("voluntary_ctxt_switches:")) {
					voluntary = Long.parseLong(line.replaceAll("\\D", ""));
				}
				else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
					involuntary = Long.parseLong(line.replaceAll("\\D", ""));
				}
			}
			return new ContextSwitches(voluntary, involuntary);
		}
		catch (NoSuchFileException ex) {
			// the thread exited after the listing
			return ContextSwitches.NONE;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The peak resident set size of the process (VmHWM).
	 * @return the peak, in bytes
	 */
	long peakResidentBytes() {
		for (String line : read("status").split("\n")) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
			}
		}
		throw new IllegalStateException("No VmHWM in /proc/" + this.process.pid() + "/status of " + this.name);
	}

	private String read(String file) {
		try {
			return Files.readString(Path.of("/proc", String.valueOf(this.process.pid()), file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Kill the process at once, as {@code kill -9} does. */
	void kill9() {
		this.process.destroyForcibly();
		waitForExit();
	}

	/** Stop the process (SIGTERM), and kill it if it has not exited after 30 s. */
	void stop() {
		this.process.destroy();
		if (!waitForExit()) {
			kill9();
		}
	}

	private boolean waitForExit() {
		try {
			return this.process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Context switches of a process's threads.
	 *
	 * @param voluntary switches of a thread that gave up its core to wait: for a lock, a
	 * socket, a park
	 * @param involuntary switches of a thread that the scheduler took off its core while
	 * it could still run
	 */
	record ContextSwitches(long voluntary, long involuntary) {

		static final ContextSwitches NONE = new ContextSwitches(0, 0);

		ContextSwitches plus(ContextSwitches other) {
			return new ContextSwitches(this.voluntary + other.voluntary, this.involuntary + other.involuntary);
		}

		ContextSwitches minus(ContextSwitches other) {
			return new ContextSwitches(this.voluntary - other.voluntary, this.involuntary - other.involuntary);
		}

	}

}
