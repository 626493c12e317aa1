package io.sessionreplication.cluster.jgroups;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Tells whether a port refuses connections: the evidence that the process that listened
 * there is gone. A process that lives keeps its listening socket open, and its host's
 * kernel accepts connections on it even while the process is stopped or too busy to
 * answer; once the process dies, the kernel refuses them at once.
 * <p>
 * It says nothing of a host that does not answer, a route that fails or a port that
 * accepts: only a refusal counts. A probe that connects closes at once, without sending
 * anything.
 */
final class ConnectionProbe {

	private ConnectionProbe() {
	}

	/**
	 * Try to connect to an address, and say whether the connection was refused.
	 * @param address the address and port
	 * @param timeout the longest wait for the connection
	 * @return {@code true} only if the connection was refused within the timeout
	 */
	static boolean refuses(InetSocketAddress address, Duration timeout) {
		try (Socket socket = new Socket()) {
			socket.connect(address, (int) timeout.toMillis());
			return false;
		}
		catch (ConnectException ex) {
			// refused: a timeout is a SocketTimeoutException, and the kernel's own
			// connection timeout (ETIMEDOUT) takes seconds, beyond the probe's timeout
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

}
