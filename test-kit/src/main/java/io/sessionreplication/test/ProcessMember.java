package io.sessionreplication.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A member that runs in a JVM of its own, as in production: from the application's
 * executable jar, or from its main class on the test's class path ({@link Launch}), on
 * 127.0.0.1 or on a {@link Host} of its own. It logs to a file of its own, can be started
 * again on the same ports after it was stopped or crashed, and tells when it is ready the
 * way a load balancer would learn it: from {@code /actuator/health/readiness}.
 * <p>
 * Faults are real: {@link #crash()} is {@code kill -9}, {@link #pause()} is
 * {@code SIGSTOP} (so they need a POSIX {@code kill} command), {@link #stop()} is
 * {@code SIGTERM}. A process started here is killed if the test JVM exits first.
 * <p>
 * Each start passes the application {@code --server.port}, the
 * {@code session.replication} bind port, cluster name and member name,
 * {@code --management.endpoint.health.probes.enabled=true} and
 * {@code --management.endpoints.web.exposure.include=health,sessionreplication} (what
 * {@link #awaitReady()} and {@link ClusterAssertions} read), then the arguments of the
 * test.
 */
public final class ProcessMember implements ClusterMember {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * The options of each member's JVM unless set: a small heap and the quick compiler
	 * alone, so that several members start quickly on a test machine.
	 */
	public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

	/** Spring Boot's launcher that reads {@code loader.path}, in every executable jar. */
	private static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	/** The processes still running, killed if the test JVM exits before it stops them. */
	private static final Set<Process> running = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> running.forEach(Process::destroyForcibly), "process-member-reaper"));
	}

	private static final HttpClient probeClient = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final String name;

	private final Host host;

	private final Launch launch;

	private final int httpPort;

	private final int bindPort;

	private final String clusterName;

	private final Path logDirectory;

	private List<String> extraArguments;

	private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;

	private @Nullable Path classesFirst;

	private int starts;

	private @Nullable Path log;

	private @Nullable Process process;

	private volatile boolean paused;

	/**
	 * Describe a member; nothing is started yet.
	 * @param name the member name, also the name of its log files
	 * @param host where it runs
	 * @param launch what it runs
	 * @param httpPort the HTTP port
	 * @param bindPort the first JGroups port of the cluster, shared by all its nodes
	 * @param clusterName the JGroups cluster, unique to the test
	 * @param logDirectory where the log files go
	 * @param extraArguments more arguments of the application, on every start, after
	 * those that set the ports, the cluster and the member name (for example
	 * {@code --session.replication.mode=primary-backup}); empty for the defaults
	 */
	public ProcessMember(String name, Host host, Launch launch, int httpPort, int bindPort, String clusterName,
			Path logDirectory, List<String> extraArguments) {
		this.name = name;
		this.host = host;
		this.launch = launch;
		this.httpPort = httpPort;
		this.bindPort = bindPort;
		this.clusterName = clusterName;
		this.logDirectory = logDirectory;
		this.extraArguments = List.copyOf(extraArguments);
	}

	/**
	 * Run the next starts of this member with classes of its own ahead of the jar's, as
	 * an instance redeployed with some of its classes changed: the same jar, launched by
	 * Spring Boot's {@code PropertiesLauncher} with the directory on {@code loader.path},
	 * whose classes come before those of the jar.
	 * @param directory a directory of compiled classes
	 * @return this member
	 * @throws IllegalStateException if this member is not launched from a jar
	 */
	public ProcessMember classesFirst(Path directory) {
		if (this.launch.jar() == null) {
			throw new IllegalStateException(this.name + " is not launched from a jar");
		}
		this.classesFirst = directory.toAbsolutePath();
		return this;
	}

	/**
	 * Run the next starts of this member with other extra arguments: an instance
	 * redeployed with another configuration, or, with a test switch, another release.
	 * @param extraArguments the arguments, in place of those given before
	 * @return this member
	 */
	public ProcessMember extraArguments(List<String> extraArguments) {
		this.extraArguments = List.copyOf(extraArguments);
		return this;
	}

	/**
	 * Run the next starts of this member with other JVM options. Default is
	 * {@link #DEFAULT_JVM_OPTIONS}.
	 * @param jvmOptions the options, in place of those given before
	 * @return this member
	 */
	public ProcessMember jvmOptions(List<String> jvmOptions) {
		this.jvmOptions = List.copyOf(jvmOptions);
		return this;
	}

	/**
	 * Start the process; each start logs to a file of its own.
	 */
	@Override
	public void start() {
		if (isAlive()) {
			throw new IllegalStateException(this.name + " is already running");
		}
		this.starts++;
		this.log = this.logDirectory.resolve(this.name + "-" + this.starts + ".log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(this.host.launcher());
		command.add(java);
		command.addAll(this.jvmOptions);
		command.addAll(launch());
		command.addAll(List.of("--server.port=" + this.httpPort, "--session.replication.bind-port=" + this.bindPort,
				"--session.replication.cluster-name=" + this.clusterName,
				"--session.replication.member-name=" + this.name, "--management.endpoint.health.probes.enabled=true",
				"--management.endpoints.web.exposure.include=health,sessionreplication"));
		command.addAll(this.host.arguments());
		command.addAll(this.extraArguments);
		try {
			Files.createDirectories(this.logDirectory);
			Process started = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.log.toFile())
				.start();
			running.add(started);
			started.onExit().thenRun(() -> running.remove(started));
			this.process = started;
			this.paused = false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + this.name + ": " + command, ex);
		}
	}

	private List<String> launch() {
		Path jar = this.launch.jar();
		if (this.classesFirst == null || jar == null) {
			return this.launch.arguments();
		}
		return List.of("-Dloader.path=" + this.classesFirst, "-cp", jar.toString(), PROPERTIES_LAUNCHER);
	}

	/**
	 * Wait until the member reports readiness UP, at most 90 s.
	 * @throws AssertionError if the process exits first or the time is up, with the end
	 * of its log
	 */
	@Override
	public void awaitReady() {
		awaitReadiness();
	}

	/**
	 * Wait until the member reports readiness UP, at most 90 s.
	 * @return how long it took
	 * @throws AssertionError if the process exits first or the time is up, with the end
	 * of its log
	 */
	public Duration awaitReadiness() {
		long start = System.nanoTime();
		long deadline = start + READY_TIMEOUT.toNanos();
		HttpRequest request = HttpRequest.newBuilder(uri("/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		String last = "no answer yet";
		while (System.nanoTime() < deadline) {
			if (!isAlive()) {
				throw new AssertionError(this.name + " exited with status " + this.process.exitValue()
						+ " before it was ready" + logTail());
			}
			try {
				HttpResponse<String> response = probeClient.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
					return Duration.ofNanos(System.nanoTime() - start);
				}
				last = response.statusCode() + " " + response.body();
			}
			catch (IOException ex) {
				last = ex.toString();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for " + this.name, ex);
			}
			sleep(Duration.ofMillis(200));
		}
		throw new AssertionError(
				this.name + " was not ready within " + READY_TIMEOUT + " (last answer: " + last + ")" + logTail());
	}

	/**
	 * Kill the process at once, as {@code kill -9} does, and wait for it to be gone.
	 */
	@Override
	public void crash() {
		if (this.process == null) {
			return;
		}
		this.paused = false;
		this.process.destroyForcibly();
		waitForExit(Duration.ofSeconds(10));
	}

	/**
	 * Stop the process gracefully (SIGTERM; a paused one is resumed first), killing it if
	 * it is still running after 30 s.
	 */
	@Override
	public void stop() {
		stopOrKill();
	}

	/**
	 * Stop the process gracefully (SIGTERM), killing it if it is still running after 30
	 * s.
	 * @return {@code false} if it had to be killed, {@code true} if it exited by itself
	 * or was not running
	 */
	public boolean stopOrKill() {
		if (this.process == null || !this.process.isAlive()) {
			return true;
		}
		if (this.paused) {
			resume();
		}
		this.process.destroy();
		if (!waitForExit(STOP_TIMEOUT)) {
			crash();
			return false;
		}
		return true;
	}

	/**
	 * Pause the process ({@code SIGSTOP}): it keeps its sockets open and answers nothing,
	 * as a process in a long garbage collection or a frozen virtual machine does.
	 */
	@Override
	public void pause() {
		signal("STOP");
		this.paused = true;
	}

	/** Resume a paused process ({@code SIGCONT}). */
	@Override
	public void resume() {
		signal("CONT");
		this.paused = false;
	}

	private void signal(String signal) {
		if (!isAlive()) {
			throw new IllegalStateException(this.name + " is not running");
		}
		Signals.send(this.process, signal);
	}

	/**
	 * Whether the process is running.
	 * @return whether it is
	 */
	public boolean isAlive() {
		Process current = this.process;
		return current != null && current.isAlive();
	}

	@Override
	public boolean isRunning() {
		return isAlive();
	}

	@Override
	public boolean isPaused() {
		return this.paused && isAlive();
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public URI uri(String path) {
		return URI.create("http://" + this.host.address() + ":" + this.httpPort + path);
	}

	/**
	 * The end of the current log, without the banner, to append to a failure message.
	 * @return the last lines, introduced by the log's path
	 */
	public String logTail() {
		return logTail(40);
	}

	public String logTail(int lines) {
		if (this.log == null) {
			return "\n--- " + this.name + ": not started";
		}
		try {
			List<String> all = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			int firstLogLine = 0;
			for (int i = 0; i < all.size(); i++) {
				if (all.get(i).matches("^\\d{4}-.*")) {
					firstLogLine = i; // after the banner
					break;
				}
			}
			List<String> tail = all.subList(Math.max(firstLogLine, all.size() - lines), all.size());
			return "\n--- last " + tail.size() + " lines of " + this.log + (isAlive() ? "" : " (process exited)") + "\n"
					+ String.join("\n", tail);
		}
		catch (IOException | UncheckedIOException ex) {
			return "\n--- could not read " + this.log + ": " + ex;
		}
	}

	/**
	 * The lines of the current log, that of the last start, that contain a text.
	 * @param text the text
	 * @return the lines
	 */
	public List<String> logLinesContaining(String text) {
		if (this.log == null) {
			return List.of();
		}
		try (Stream<String> lines = Files.lines(this.log, StandardCharsets.UTF_8)) {
			return lines.filter((line) -> line.contains(text)).toList();
		}
		catch (IOException | UncheckedIOException ex) {
			throw new AssertionError("Could not read " + this.log, ex);
		}
	}

	/**
	 * The lines of every log of this member, all starts, that contain WARN or ERROR.
	 * @return the lines, prefixed with the log's file name
	 */
	public List<String> warningsAndErrors() {
		return linesOfEveryStart((line) -> line.contains(" WARN ") || line.contains(" ERROR "));
	}

	/**
	 * The views this member installed, in every log of this member, all starts.
	 * @return the lines, prefixed with the log's file name
	 */
	public List<String> views() {
		return linesOfEveryStart((line) -> line.contains("JGroupsClusterTransport") && line.contains(" view ["));
	}

	private List<String> linesOfEveryStart(Predicate<String> filter) {
		List<String> found = new ArrayList<>();
		for (int start = 1; start <= this.starts; start++) {
			Path file = this.logDirectory.resolve(this.name + "-" + start + ".log");
			try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
				lines.filter(filter).forEach((line) -> found.add(file.getFileName() + ": " + line));
			}
			catch (IOException | UncheckedIOException ex) {
				found.add(file.getFileName() + ": could not read: " + ex);
			}
		}
		return found;
	}

	@Override
	public String toString() {
		return this.name + " (http " + this.httpPort + ")";
	}

	/**
	 * What a member runs: the arguments of {@code java} that start the application.
	 *
	 * @param arguments the arguments, after the JVM options
	 * @param jar the executable jar, {@code null} for a main class
	 */
	public record Launch(List<String> arguments, @Nullable Path jar) {

		/**
		 * Run an executable jar, as built by Spring Boot's Maven or Gradle plugin.
		 * @param jar the jar
		 * @return the launch
		 */
		public static Launch jar(Path jar) {
			return new Launch(List.of("-jar", jar.toAbsolutePath().toString()), jar.toAbsolutePath());
		}

		/**
		 * Run a main class with the class path of the test's own JVM: the application's
		 * classes and dependencies as the test sees them, without building a jar.
		 * @param mainClass the application's main class
		 * @return the launch
		 */
		public static Launch mainClass(Class<?> mainClass) {
			return new Launch(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()), null);
		}

	}

	/**
	 * Where a member runs: its address, the command that starts a program there, and the
	 * arguments of the application that bind it to that address.
	 *
	 * @param address the address the member's HTTP and cluster ports bind to
	 * @param launcher the command that runs a program on that host, in front of
	 * {@code java}; empty for this host
	 * @param arguments more arguments of the application
	 */
	public record Host(String address, List<String> launcher, List<String> arguments) {

		/** 127.0.0.1 of this machine. */
		public static final Host LOOPBACK = new Host("127.0.0.1", List.of(), List.of());

	}

	private boolean waitForExit(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted", ex);
		}
	}

	/**
	 * A free TCP port on 127.0.0.1 for HTTP.
	 * @return the port
	 */
	public static int freeHttpPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A first JGroups port for a test cluster such that it and the {@code range} ports
	 * above it are free, below the ephemeral range of outgoing connections (so no client
	 * socket takes one of them meanwhile), and away from the default 7800 (so a
	 * developer's running cluster is never joined).
	 * @param range the port range of the stack (session.replication.port-range)
	 * @return the first port
	 */
	public static int freeBindPortBase(int range) {
		for (int attempt = 0; attempt < 100; attempt++) {
			int base = ThreadLocalRandom.current().nextInt(20000, 30000);
			if (allFree(base, base + range)) {
				return base;
			}
		}
		throw new IllegalStateException("Found no " + (range + 1) + " free consecutive ports in 20000-30000");
	}

	private static boolean allFree(int from, int to) {
		for (int port = from; port <= to; port++) {
			try {
				new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
			}
			catch (IOException ex) {
				return false;
			}
		}
		return true;
	}

}
