/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.sessionreplication.samples.web;

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

/**
 * One instance of the web sample, run from its executable jar in a JVM of its own, as in
 * production, on 127.0.0.1 or on a {@link Host} of its own. It logs to a file of its own,
 * can be started again on the same ports after it was stopped or killed, can be paused
 * and resumed ({@code SIGSTOP}, {@code SIGCONT}), and tells when it is ready the way a
 * load balancer would learn it: from {@code /actuator/health/readiness}.
 */
final class SampleNode {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	/** Spring Boot's launcher that reads {@code loader.path}, in every executable jar. */
	private static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	/** The processes still running, killed if the test JVM exits before it stops them. */
	private static final Set<Process> running = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> running.forEach(Process::destroyForcibly), "sample-node-reaper"));
	}

	private static final HttpClient probeClient = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final String name;

	private final Host host;

	private final Path jar;

	private final int httpPort;

	private final int bindPort;

	private final String clusterName;

	private final Path logDirectory;

	private List<String> extraArguments;

	private Path classesFirst;

	private int starts;

	private Path log;

	private Process process;

	/**
	 * Describe a node; nothing is started yet.
	 * @param name the member name, also the name of its log files
	 * @param host where it runs
	 * @param jar the executable jar of the sample
	 * @param httpPort the HTTP port
	 * @param bindPort the first JGroups port of the cluster, shared by all its nodes
	 * @param clusterName the JGroups cluster, unique to the test
	 * @param logDirectory where the log files go
	 * @param extraArguments more arguments of the application, on every start, after
	 * those that set the ports, the cluster and the member name (for example
	 * {@code --session.replication.mode=primary-backup}); empty for the defaults
	 */
	SampleNode(String name, Host host, Path jar, int httpPort, int bindPort, String clusterName, Path logDirectory,
			List<String> extraArguments) {
		this.name = name;
		this.host = host;
		this.jar = jar;
		this.httpPort = httpPort;
		this.bindPort = bindPort;
		this.clusterName = clusterName;
		this.logDirectory = logDirectory;
		this.extraArguments = List.copyOf(extraArguments);
	}

	/**
	 * Run the next starts of this node with classes of its own ahead of the jar's, as an
	 * instance redeployed with some of its classes changed: the same jar, launched by
	 * Spring Boot's {@code PropertiesLauncher} with the directory on {@code loader.path},
	 * whose classes come before those of the jar.
	 * @param directory a directory of compiled classes
	 * @return this node
	 */
	SampleNode classesFirst(Path directory) {
		this.classesFirst = directory.toAbsolutePath();
		return this;
	}

	/**
	 * Run the next starts of this node with other extra arguments: an instance redeployed
	 * with another configuration, or, with a test switch, another release.
	 * @param extraArguments the arguments, in place of those given before
	 * @return this node
	 */
	SampleNode extraArguments(List<String> extraArguments) {
		this.extraArguments = List.copyOf(extraArguments);
		return this;
	}

	/**
	 * Start the process; each start logs to a file of its own.
	 * @return this node
	 */
	SampleNode start() {
		if (isAlive()) {
			throw new IllegalStateException(this.name + " is already running");
		}
		this.starts++;
		this.log = this.logDirectory.resolve(this.name + "-" + this.starts + ".log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(this.host.launcher());
		command.addAll(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
		command.addAll(launch());
		command.addAll(List.of("--server.port=" + this.httpPort, "--session.replication.bind-port=" + this.bindPort,
				"--session.replication.cluster-name=" + this.clusterName,
				"--session.replication.member-name=" + this.name));
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
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + this.name + ": " + command, ex);
		}
		return this;
	}

	private List<String> launch() {
		if (this.classesFirst == null) {
			return List.of("-jar", this.jar.toString());
		}
		return List.of("-Dloader.path=" + this.classesFirst, "-cp", this.jar.toString(), PROPERTIES_LAUNCHER);
	}

	/**
	 * Wait until the node reports readiness UP, at most {@link #READY_TIMEOUT}.
	 * @return how long it took
	 * @throws AssertionError if the process exits first or the time is up, with the end
	 * of its log
	 */
	Duration awaitReady() {
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
	void kill9() {
		if (this.process == null) {
			return;
		}
		this.process.destroyForcibly();
		waitForExit(Duration.ofSeconds(10));
	}

	/**
	 * Stop the process gracefully (SIGTERM), killing it if it is still running after
	 * {@link #STOP_TIMEOUT}.
	 * @return {@code false} if it had to be killed, {@code true} if it exited by itself
	 * or was not running
	 */
	boolean stop() {
		if (this.process == null || !this.process.isAlive()) {
			return true;
		}
		this.process.destroy();
		if (!waitForExit(STOP_TIMEOUT)) {
			kill9();
			return false;
		}
		return true;
	}

	/**
	 * Pause the process ({@code SIGSTOP}): it keeps its sockets open and answers nothing,
	 * as a process in a long garbage collection or a frozen virtual machine does.
	 */
	void pause() {
		signal("STOP");
	}

	/** Resume a paused process ({@code SIGCONT}). */
	void resume() {
		signal("CONT");
	}

	private void signal(String signal) {
		if (!isAlive()) {
			throw new IllegalStateException(this.name + " is not running");
		}
		Signals.send(this.process, signal);
	}

	boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	String name() {
		return this.name;
	}

	URI uri(String path) {
		return URI.create("http://" + this.host.address() + ":" + this.httpPort + path);
	}

	/**
	 * The end of the current log, without the banner, to append to a failure message.
	 * @return the last lines, introduced by the log's path
	 */
	String logTail() {
		return logTail(40);
	}

	String logTail(int lines) {
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
	List<String> logLinesContaining(String text) {
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
	 * The lines of every log of this node, all starts, that contain WARN or ERROR.
	 * @return the lines, prefixed with the log's file name
	 */
	List<String> warningsAndErrors() {
		return linesOfEveryStart((line) -> line.contains(" WARN ") || line.contains(" ERROR "));
	}

	/**
	 * The views this node installed, in every log of this node, all starts.
	 * @return the lines, prefixed with the log's file name
	 */
	List<String> views() {
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
	 * Where a node runs: its address, the command that starts a program there, and the
	 * arguments of the sample that bind it to that address.
	 *
	 * @param address the address the node's HTTP and cluster ports bind to
	 * @param launcher the command that runs a program on that host, in front of
	 * {@code java}; empty for this host
	 * @param arguments more arguments of the application
	 */
	record Host(String address, List<String> launcher, List<String> arguments) {

		/** 127.0.0.1 of this machine, where the sample binds by default. */
		static final Host LOOPBACK = new Host("127.0.0.1", List.of(), List.of());

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
	static int freeHttpPort() {
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
	static int freeBindPortBase(int range) {
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
