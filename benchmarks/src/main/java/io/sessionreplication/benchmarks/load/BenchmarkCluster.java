package io.sessionreplication.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The nodes of one backend in one configuration, started one after the other (each once
 * the previous one is ready), in a JGroups cluster of their own: a cluster name and a
 * range of ports no other run uses.
 */
final class BenchmarkCluster implements AutoCloseable {

	private final List<BenchmarkNode> nodes = new ArrayList<>();

	BenchmarkCluster(LoadSettings settings, Backend backend, int size, String runName) {
		String clusterName = "load-" + UUID.randomUUID().toString().substring(0, 8);
		int bindPort = ThreadLocalRandom.current().nextInt(20000, 30000);
		List<String> arguments = new ArrayList<>(backend.arguments());
		arguments.add("--session.replication.cluster-name=" + clusterName);
		arguments.add("--session.replication.bind-port=" + bindPort);
		for (int i = 1; i <= size; i++) {
			String name = "node-" + i;
			Path log = settings.logs().resolve(runName).resolve(name + ".log");
			this.nodes.add(BenchmarkNode.start(settings, name, freePort(), arguments, log));
		}
	}

	List<BenchmarkNode> nodes() {
		return this.nodes;
	}

	@Override
	public void close() {
		this.nodes.forEach(BenchmarkNode::stop);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
