package io.sessionreplication.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The Redis server of one cluster of the {@code REDIS} backend: {@code redis-server} from
 * the {@code PATH} (Debian's package), on 127.0.0.1 at the given port, in memory only (no
 * snapshot, no append-only file), in the foreground so that it is this process that the
 * benchmark measures and stops, by its PID. Everything else is at Redis's defaults. It is
 * part of the backend's cost: its CPU and memory count with the nodes'.
 */
final class RedisServer {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	private final int port;

	private final ChildProcess process;

	private RedisServer(int port, ChildProcess process) {
		this.port = port;
		this.process = process;
	}

	/**
	 * Start a server and wait until it answers {@code PING}.
	 * @param port its port, on 127.0.0.1
	 * @param logFile where its output goes
	 * @return the server, ready
	 */
	static RedisServer start(int port, Path logFile) {
		List<String> command = List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save",
				"", "--appendonly", "no", "--daemonize", "no");
		try {
			RedisServer server = new RedisServer(port, ChildProcess.start("redis-server", command, logFile));
			server.process.awaitReady(server::answersPing, READY_TIMEOUT);
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Could not start redis-server (apt-get install redis-server; run-load.sh does): " + command, ex);
		}
	}

	private boolean answersPing() {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
		}
		catch (IOException ex) {
			return false;
		}
	}

	int port() {
		return this.port;
	}

	ChildProcess process() {
		return this.process;
	}

	/** Stop the server (SIGTERM), and kill it if it has not exited after 30 s. */
	void stop() {
		this.process.stop();
	}

}
