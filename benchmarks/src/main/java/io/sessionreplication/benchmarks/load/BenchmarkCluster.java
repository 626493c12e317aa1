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
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The nodes of one backend in one configuration, started one after the other (each once
 * the previous one is ready), with what the backend needs besides: a Redis server for
 * {@link Backend#REDIS}, started first and stopped last. Each cluster is a cluster of its
 * own: for this starter a JGroups cluster name and a range of ports no other run uses;
 * for Hazelcast, Infinispan and Tomcat's cluster one port per node, which every node is
 * told ({@code load-app.cluster.*}); for Redis a server of its own. Every node is given
 * all of them and uses what its backend needs.
 */
final class BenchmarkCluster implements AutoCloseable {

	private final List<BenchmarkNode> nodes = new ArrayList<>();

	private final @Nullable RedisServer redis;

	BenchmarkCluster(LoadSettings settings, Backend backend, int size, String runName) {
		this(settings, backend, size, runName, List.of());
	}

	/**
	 * Start the nodes of a backend, each with more application arguments than the
	 * backend's.
	 * @param settings the benchmark's settings
	 * @param backend the backend
	 * @param size how many nodes
	 * @param runName names the directory of the nodes' logs
	 * @param moreArguments the arguments every node gets besides the backend's
	 */
	BenchmarkCluster(LoadSettings settings, Backend backend, int size, String runName, List<String> moreArguments) {
		Path logs = settings.logs().resolve(runName);
		// all at once, so that they differ from each other
		List<Integer> ports = freePorts(2 * size + 1);
		List<Integer> httpPorts = ports.subList(0, size);
		List<Integer> memberPorts = ports.subList(size, 2 * size);
		this.redis = backend.usesRedisServer() ? RedisServer.start(ports.get(2 * size), logs.resolve("redis.log"))
				: null;
		try {
			List<String> arguments = new ArrayList<>(backend.arguments());
			arguments.addAll(moreArguments);
			arguments.add("--session.replication.cluster-name=load-" + UUID.randomUUID().toString().substring(0, 8));
			arguments.add("--session.replication.bind-port=" + ThreadLocalRandom.current().nextInt(20000, 30000));
			arguments.add("--load-app.cluster.member-ports="
					+ memberPorts.stream().map(String::valueOf).collect(Collectors.joining(",")));
			if (this.redis != null) {
				arguments.add("--spring.data.redis.port=" + this.redis.port());
			}
			for (int i = 0; i < size; i++) {
				String name = "node-" + (i + 1);
				List<String> nodeArguments = new ArrayList<>(arguments);
				nodeArguments.add("--load-app.cluster.port=" + memberPorts.get(i));
				this.nodes.add(BenchmarkNode.start(settings, name, httpPorts.get(i), nodeArguments,
						logs.resolve(name + ".log")));
			}
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	List<BenchmarkNode> nodes() {
		return this.nodes;
	}

	/**
	 * The processes whose CPU and memory are the backend's cost: the nodes, and the Redis
	 * server where there is one.
	 * @return the processes
	 */
	List<ChildProcess> processes() {
		Stream<ChildProcess> nodes = this.nodes.stream().map(BenchmarkNode::process);
		return (this.redis != null) ? Stream.concat(nodes, Stream.of(this.redis.process())).toList() : nodes.toList();
	}

	@Override
	public void close() {
		this.nodes.forEach(BenchmarkNode::stop);
		if (this.redis != null) {
			this.redis.stop();
		}
	}

	private static List<Integer> freePorts(int count) {
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
			}
			return sockets.stream().map(ServerSocket::getLocalPort).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			for (ServerSocket socket : sockets) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// it was free
				}
			}
		}
	}

}
