package io.sessionreplication.testcluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * Finds free ports on 127.0.0.1 for tests whose members discover each other over a port
 * range, below the ephemeral range so that no outgoing connection takes them meanwhile.
 */
public final class LoopbackPorts {

	private LoopbackPorts() {
	}

	/**
	 * Find consecutive free ports.
	 * @param size how many ports
	 * @return the first of them
	 */
	public static int freeRange(int size) {
		for (int attempt = 0; attempt < 50; attempt++) {
			int base = ThreadLocalRandom.current().nextInt(20_000, 30_000);
			if (IntStream.range(base, base + size).allMatch(LoopbackPorts::isFree)) {
				return base;
			}
		}
		throw new IllegalStateException("No " + size + " free consecutive ports found on 127.0.0.1");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
