package io.sessionreplication.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node of the load benchmark: the web sample's executable jar in a JVM of its own, on
 * 127.0.0.1. It reads the process's CPU time and peak resident memory from {@code /proc},
 * so it works on Linux only. It stops only the process it started.
 */
final class BenchmarkNode {

	/** Clock ticks per second of {@code /proc/<pid>/stat} times, 100 on Linux. */
	private static final long TICKS_PER_SECOND = 100;

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

	private final String name;

	private final int httpPort;

	private final Process process;

	private BenchmarkNode(String name, int httpPort, Process process) {
		this.name = name;
		this.httpPort = httpPort;
		this.process = process;
	}

	/**
	 * Start a node and wait until its readiness probe says UP.
	 * @param settings the benchmark's settings (jar, heap)
	 * @param name the member name
	 * @param httpPort its HTTP port
	 * @param arguments more application arguments (backend, cluster)
	 * @param logFile where its output goes
	 * @return the node, ready
	 */
	static BenchmarkNode start(LoadSettings settings, String name, int httpPort, List<String> arguments, Path logFile) {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + settings.heap()));
		String run = logFile.getParent().getFileName() + "-" + name;
		settings.jvmOptions().forEach((option) -> command.add(option.replace("{node}", run)));
		command.addAll(List.of("-jar", settings.jar().toString(), "--server.port=" + httpPort,
				"--session.replication.member-name=" + name, "--logging.level.root=WARN"));
		command.addAll(arguments);
		try {
			Files.createDirectories(logFile.getParent());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(logFile.toFile())
				.start();
			BenchmarkNode node = new BenchmarkNode(name, httpPort, process);
			Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
			node.awaitReady(logFile);
			return node;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name + ": " + command, ex);
		}
	}

	private void awaitReady(Path logFile) {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		HttpRequest probe = HttpRequest.newBuilder(uri("/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited before it was ready; see " + logFile);
			}
			try {
				if (client.send(probe, HttpResponse.BodyHandlers.ofString()).body().contains("\"UP\"")) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while starting " + this.name, ex);
			}
			pause(Duration.ofMillis(200));
		}
		throw new IllegalStateException(this.name + " was not ready within " + READY_TIMEOUT + "; see " + logFile);
	}

	URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.httpPort + path);
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
	 * The peak resident set size of the process (VmHWM).
	 * @return the peak, in bytes
	 */
	long peakResidentBytes() {
		for (String line : read("status").split("\n")) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
			}
		}
		throw new IllegalStateException("No VmHWM in /proc/" + this.process.pid() + "/status");
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

	static void pause(Duration duration) {
		if (duration.isNegative()) {
			return;
		}
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
