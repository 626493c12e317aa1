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
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

import io.sessionreplication.test.Signals;

/**
 * A DNS server of a test's own: dnsmasq, on 127.0.0.1 and a free port, that answers the A
 * records of one name from a hosts file the test rewrites ({@link #answer}), and nothing
 * else (no upstream server, not this machine's {@code /etc/hosts}). Debian's package is
 * {@code dnsmasq-base}. {@link #close()} stops it by its process id.
 */
final class DnsServer implements AutoCloseable {

	private static final String DNSMASQ = "/usr/sbin/dnsmasq";

	private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

	private final String name;

	private final Path hostsFile;

	private final Path log;

	private int port;

	private Process process;

	private DnsServer(String name, Path directory) {
		this.name = name;
		this.hostsFile = directory.resolve("dns-hosts").toAbsolutePath();
		this.log = directory.resolve("dnsmasq.log");
	}

	/**
	 * Start a server that answers {@code name} with the given addresses.
	 * @param name the DNS name
	 * @param directory where its hosts file and log go
	 * @param addresses the addresses of its A records
	 * @return the server, answering
	 * @throws IllegalStateException if dnsmasq does not start, after 5 tries on other
	 * ports
	 */
	static DnsServer start(String name, Path directory, List<String> addresses) {
		DnsServer server = new DnsServer(name, directory);
		// killed if the test JVM exits before it stops it
		Runtime.getRuntime().addShutdownHook(new Thread(server::kill, "dnsmasq-reaper"));
		server.writeHosts(addresses);
		for (int attempt = 0; attempt < 5; attempt++) {
			server.port = freePort();
			server.launch();
			if (server.awaitAnswer(addresses)) {
				return server;
			}
			server.close();
		}
		throw new IllegalStateException("dnsmasq did not answer on 127.0.0.1 in 5 tries: see " + server.log);
	}

	/**
	 * The server, as the starter's {@code session.replication.dns.server} takes it.
	 * @return {@code 127.0.0.1:port}
	 */
	String address() {
		return "127.0.0.1:" + this.port;
	}

	/**
	 * Answer the name with these addresses from now on: rewrite the hosts file, tell
	 * dnsmasq to read it again ({@code SIGHUP}), and wait until it answers so.
	 * @param addresses the addresses of the A records
	 * @throws AssertionError if it does not answer so within 10 s
	 */
	void answer(List<String> addresses) {
		writeHosts(addresses);
		Signals.send(this.process, "HUP");
		if (!awaitAnswer(addresses)) {
			throw new AssertionError("dnsmasq did not answer " + this.name + " with " + addresses + " within "
					+ ANSWER_TIMEOUT + " (last answer " + query() + "); see " + this.log);
		}
	}

	/**
	 * Stop dnsmasq ({@code SIGTERM} to its process id, {@code SIGKILL} if it is still
	 * running after 10 s).
	 */
	@Override
	public void close() {
		if (this.process == null || !this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	private void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
		}
	}

	private void launch() {
		List<String> command = List.of(DNSMASQ, "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
				"--addn-hosts=" + this.hostsFile, "--listen-address=127.0.0.1", "--bind-interfaces",
				"--port=" + this.port, "--local-ttl=0", "--log-queries");
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + DNSMASQ + " (Debian: apt-get install dnsmasq-base)",
					ex);
		}
	}

	/**
	 * Wait until the server answers the name with exactly these addresses, at most
	 * {@link #ANSWER_TIMEOUT}.
	 */
	private boolean awaitAnswer(List<String> addresses) {
		long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
		List<String> expected = addresses.stream().sorted().toList();
		while (System.nanoTime() < deadline && this.process.isAlive()) {
			if (query().stream().sorted().toList().equals(expected)) {
				return true;
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return false;
	}

	/**
	 * Ask the server for the A records of the name, as the starter does with a server
	 * set: through the JDK's DNS provider.
	 * @return the addresses, empty if it does not answer or knows none
	 */
	List<String> query() {
		Hashtable<String, String> environment = new Hashtable<>();
		environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
		environment.put(Context.PROVIDER_URL, "dns://" + address());
		environment.put("com.sun.jndi.dns.timeout.initial", "200");
		environment.put("com.sun.jndi.dns.timeout.retries", "1");
		List<String> addresses = new ArrayList<>();
		try {
			DirContext context = new InitialDirContext(environment);
			try {
				Attribute records = context.getAttributes(this.name, new String[] { "A" }).get("A");
				if (records != null) {
					NamingEnumeration<?> values = records.getAll();
					while (values.hasMore()) {
						addresses.add(values.next().toString());
					}
				}
			}
			finally {
				context.close();
			}
		}
		catch (NamingException ex) {
			// no answer, or no such name: no address
		}
		return addresses;
	}

	private void writeHosts(List<String> addresses) {
		StringBuilder hosts = new StringBuilder();
		addresses.forEach((address) -> hosts.append(address).append(' ').append(this.name).append('\n'));
		try {
			Files.createDirectories(this.hostsFile.getParent());
			Path next = this.hostsFile.resolveSibling("dns-hosts.next");
			Files.writeString(next, hosts, StandardCharsets.UTF_8);
			Files.move(next, this.hostsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A port free on 127.0.0.1 for both UDP and TCP, as dnsmasq listens on both.
	 */
	private static int freePort() {
		InetAddress loopback = InetAddress.getLoopbackAddress();
		for (int attempt = 0; attempt < 20; attempt++) {
			try (DatagramSocket udp = new DatagramSocket(0, loopback)) {
				int port = udp.getLocalPort();
				try (ServerSocket tcp = new ServerSocket(port, 1, loopback)) {
					return port;
				}
				catch (IOException ex) {
					// taken for TCP: try another
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		throw new IllegalStateException("Found no port free for UDP and TCP on 127.0.0.1 in 20 tries");
	}

}
