package io.sessionreplication.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One node of the load benchmark: the load application's executable jar in a JVM of its
 * own, on 127.0.0.1, ready once its readiness probe says UP. It stops only the process it
 * started.
 */
final class BenchmarkNode {

	private static final Pattern PAYLOADS_SENT = Pattern.compile("\"payloadsSent\":(\\d+)");

	private static final Pattern BYTES_SENT = Pattern.compile("\"bytesSent\":(\\d+)");

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

	private final int httpPort;

	private final ChildProcess process;

	private BenchmarkNode(int httpPort, ChildProcess process) {
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
			BenchmarkNode node = new BenchmarkNode(httpPort, ChildProcess.start(name, command, logFile));
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
			node.process.awaitReady(() -> node.isReady(client), READY_TIMEOUT);
			return node;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name + ": " + command, ex);
		}
	}

	/**
	 * Whether the readiness probe says UP.
	 * @param client the client that asks
	 * @return whether it does; false where the node does not answer yet
	 */
	private boolean isReady(HttpClient client) {
		HttpRequest probe = HttpRequest.newBuilder(uri("/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		try {
			return client.send(probe, HttpResponse.BodyHandlers.ofString()).body().contains("\"UP\"");
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting " + this.process.name(), ex);
		}
	}

	/**
	 * The replication payloads this node has sent since it started, and their bytes, from
	 * this starter's {@code sessionreplication} endpoint.
	 * @param client the client that asks
	 * @return the payloads and the bytes, or {@code null} where the node runs another
	 * backend (no such endpoint)
	 */
	@Nullable ReplicationSent replicationSent(HttpClient client) {
		HttpRequest request = HttpRequest.newBuilder(uri("/actuator/sessionreplication"))
			.timeout(Duration.ofSeconds(5))
			.build();
		try {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			Matcher payloads = PAYLOADS_SENT.matcher(response.body());
			Matcher bytes = BYTES_SENT.matcher(response.body());
			return (response.statusCode() == 200 && payloads.find() && bytes.find())
					? new ReplicationSent(Long.parseLong(payloads.group(1)), Long.parseLong(bytes.group(1))) : null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the replication traffic of " + this.process.name(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/**
	 * A new keep-alive connection to this node, connected at its first request.
	 * @return the connection
	 */
	HttpConnection connect() {
		return new HttpConnection("127.0.0.1", this.httpPort);
	}

	URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.httpPort + path);
	}

	ChildProcess process() {
		return this.process;
	}

	/** Kill the process at once, as {@code kill -9} does. */
	void kill9() {
		this.process.kill9();
	}

	/** Stop the process (SIGTERM), and kill it if it has not exited after 30 s. */
	void stop() {
		this.process.stop();
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

	/**
	 * What a node has sent of this starter's replication payloads.
	 *
	 * @param payloads the payloads
	 * @param bytes their bytes
	 */
	record ReplicationSent(long payloads, long bytes) {

		ReplicationSent plus(ReplicationSent other) {
			return new ReplicationSent(this.payloads + other.payloads, this.bytes + other.bytes);
		}

		ReplicationSent minus(ReplicationSent other) {
			return new ReplicationSent(this.payloads - other.payloads, this.bytes - other.bytes);
		}

	}

}
