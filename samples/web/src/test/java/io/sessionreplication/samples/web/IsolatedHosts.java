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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.sessionreplication.test.ProcessMember;

/**
 * Hosts of their own on this machine, for tests of what crosses a network: each is a
 * Linux network namespace with one address, linked to a bridge that also gives this
 * machine (the test) an address in their subnet. The link of a host can be cut and
 * restored, which partitions it from every other host and from the test; or a host can be
 * partitioned from the other hosts only, the test still reaching both sides. Everything
 * is created with {@code ip} from iproute2, which needs root, and deleted by
 * {@link #close()} (or when the test JVM exits). Names and the subnet are random, so that
 * two runs on one machine do not meet.
 */
final class IsolatedHosts implements AutoCloseable {

	private final String prefix;

	private final String subnet;

	private final List<ProcessMember.Host> hosts;

	private final String members;

	private final Thread cleanup = new Thread(this::deleteAll, "isolated-hosts-cleanup");

	private IsolatedHosts(int count) {
		this.prefix = "sr" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
		this.subnet = "10." + ThreadLocalRandom.current().nextInt(100, 250) + "."
				+ ThreadLocalRandom.current().nextInt(0, 256) + ".";
		this.members = String.join(",", IntStream.rangeClosed(1, count).mapToObj((i) -> address(i) + ":7800").toList());
		this.hosts = IntStream.rangeClosed(1, count)
			.mapToObj((i) -> new ProcessMember.Host(address(i), List.of("ip", "netns", "exec", namespace(i)),
					List.of("--server.address=" + address(i), "--session.replication.bind-address=" + address(i))))
			.toList();
	}

	/**
	 * Create {@code count} hosts, each able to reach the others and to be reached from
	 * the test.
	 * @param count how many
	 * @return the hosts
	 * @throws IllegalStateException if they cannot be created, naming the command that
	 * failed (not root, no iproute2)
	 */
	static IsolatedHosts create(int count) {
		IsolatedHosts hosts = new IsolatedHosts(count);
		Runtime.getRuntime().addShutdownHook(hosts.cleanup);
		hosts.ip("link", "add", hosts.bridge(), "type", "bridge");
		hosts.ip("addr", "add", hosts.subnet + "1/24", "dev", hosts.bridge());
		hosts.ip("link", "set", hosts.bridge(), "up");
		for (int i = 1; i <= count; i++) {
			String inside = hosts.prefix + "n" + i;
			hosts.ip("netns", "add", hosts.namespace(i));
			hosts.ip("link", "add", hosts.link(i), "type", "veth", "peer", "name", inside);
			hosts.ip("link", "set", inside, "netns", hosts.namespace(i));
			hosts.ip("link", "set", hosts.link(i), "master", hosts.bridge());
			hosts.ip("link", "set", hosts.link(i), "up");
			hosts.ip("-n", hosts.namespace(i), "addr", "add", hosts.address(i) + "/24", "dev", inside);
			hosts.ip("-n", hosts.namespace(i), "link", "set", inside, "up");
			hosts.ip("-n", hosts.namespace(i), "link", "set", "lo", "up");
		}
		return hosts;
	}

	/**
	 * A host whose node finds the others in the list of every host's address.
	 * @param index from 1
	 * @return the host
	 */
	ProcessMember.Host host(int index) {
		return host(index, List.of("--session.replication.members=" + this.members));
	}

	/**
	 * A host whose node finds the others as the given arguments tell it.
	 * @param index from 1
	 * @param discovery the arguments of the node's discovery, for example
	 * {@code --session.replication.discovery=multicast}
	 * @return the host
	 */
	ProcessMember.Host host(int index, List<String> discovery) {
		ProcessMember.Host host = this.hosts.get(index - 1);
		List<String> arguments = new ArrayList<>(host.arguments());
		arguments.addAll(discovery);
		return new ProcessMember.Host(host.address(), host.launcher(), arguments);
	}

	/**
	 * Cut the link of a host: nothing reaches it, nothing leaves it, and its open
	 * connections go silent, as when a switch port or a rack goes down.
	 * @param index from 1
	 */
	void cut(int index) {
		ip("link", "set", link(index), "down");
	}

	/**
	 * Restore the link of a host.
	 * @param index from 1
	 */
	void restore(int index) {
		ip("link", "set", link(index), "up");
	}

	/**
	 * Partition a host from the other hosts but not from the test: each side drops what
	 * it sends to the other (a blackhole route to each address of the other side), so the
	 * cluster's traffic between them goes silent while the test still reaches every host.
	 * @param index from 1
	 */
	void partition(int index) {
		routes("add", index);
	}

	/**
	 * Heal what {@link #partition(int)} did.
	 * @param index from 1
	 */
	void heal(int index) {
		routes("del", index);
	}

	private void routes(String action, int index) {
		for (int other = 1; other <= this.hosts.size(); other++) {
			if (other != index) {
				ip("-n", namespace(index), "route", action, "blackhole", address(other) + "/32");
				ip("-n", namespace(other), "route", action, "blackhole", address(index) + "/32");
			}
		}
	}

	@Override
	public void close() {
		deleteAll();
		Runtime.getRuntime().removeShutdownHook(this.cleanup);
	}

	private void deleteAll() {
		for (int i = 1; i <= this.hosts.size(); i++) {
			run(false, "ip", "netns", "delete", namespace(i));
		}
		run(false, "ip", "link", "delete", bridge());
	}

	private String address(int index) {
		return this.subnet + (10 + index);
	}

	private String namespace(int index) {
		return this.prefix + "-" + index;
	}

	private String bridge() {
		return this.prefix + "b";
	}

	private String link(int index) {
		return this.prefix + "h" + index;
	}

	private void ip(String... arguments) {
		List<String> command = new ArrayList<>(List.of("ip"));
		command.addAll(List.of(arguments));
		run(true, command.toArray(String[]::new));
	}

	private static void run(boolean mustSucceed, String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " did not finish within 10 s");
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (mustSucceed && process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed with status " + process.exitValue()
						+ ": " + output + " (network namespaces need root and iproute2: run the tests as root)");
			}
		}
		catch (IOException ex) {
			if (mustSucceed) {
				throw new UncheckedIOException("Could not run " + String.join(" ", command)
						+ " (network namespaces need iproute2's ip command)", ex);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
