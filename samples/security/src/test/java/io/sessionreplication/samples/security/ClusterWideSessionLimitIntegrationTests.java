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

package io.sessionreplication.samples.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster-wide session limit, end to end: instances of the sample in this JVM, each
 * with its own web server and its own JGroups member on 127.0.0.1, and browsers that log
 * in over real HTTP. Alice logs in on the first instance, then again on the second; her
 * first session is then turned away on every instance, and her second one is served by
 * every instance.
 */
class ClusterWideSessionLimitIntegrationTests {

	private static final String EXPIRED = "This session has been expired";

	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	@AfterEach
	void stopInstances() {
		this.instances.forEach(ConfigurableApplicationContext::close);
	}

	@ParameterizedTest
	@CsvSource({ "all-to-all, 2", "primary-backup, 3" })
	void secondLoginOfAUserOnAnotherInstanceExpiresTheFirstEverywhere(String mode, int instanceCount) throws Exception {
		List<String> urls = startInstances(mode, instanceCount);
		String first = urls.get(0);
		String second = urls.get(1);
		Browser aliceAtWork = new Browser();
		Browser aliceAtHome = new Browser();
		Browser bob = new Browser();

		aliceAtWork.logIn(first, "alice", "alice-password");
		bob.logIn(second, "bob", "bob-password");
		for (String url : urls) {
			assertThat(aliceAtWork.get(url).body()).as(url).contains("\"user\":\"alice\"");
		}

		aliceAtHome.logIn(second, "alice", "alice-password");

		// the first request of the expired session, on the instance that served none of
		// alice's logins in primary-backup mode, is turned away and logs it out
		assertThat(aliceAtWork.get(urls.get(urls.size() - 1)).body()).contains(EXPIRED);
		for (String url : urls) {
			HttpResponse<String> loggedOut = aliceAtWork.get(url);
			assertThat(loggedOut.statusCode()).as(url).isEqualTo(302);
			assertThat(loggedOut.headers().firstValue("Location")).as(url)
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/login"));
			assertThat(aliceAtHome.get(url).body()).as(url).contains("\"user\":\"alice\"");
			assertThat(bob.get(url).body()).as(url).contains("\"user\":\"bob\"");
		}
	}

	private List<String> startInstances(String mode, int count) throws IOException {
		String clusterName = "security-sample-" + UUID.randomUUID();
		int bindPort = freePortRange(count + 1);
		List<String> urls = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			ConfigurableApplicationContext instance = new SpringApplicationBuilder(SecuritySampleApplication.class).run(
					"--server.port=0", "--session.replication.mode=" + mode,
					"--session.replication.cluster-name=" + clusterName,
					"--session.replication.member-name=security-" + i, "--session.replication.bind-port=" + bindPort,
					"--session.replication.port-range=" + count);
			this.instances.add(instance);
			urls.add("http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port"));
		}
		return urls;
	}

	/** The first of {@code count} consecutive ports of 127.0.0.1 that are free now. */
	private static int freePortRange(int count) throws IOException {
		for (int attempt = 0; attempt < 50; attempt++) {
			int first = ThreadLocalRandom.current().nextInt(20000, 40000);
			if (allFree(first, count)) {
				return first;
			}
		}
		throw new IOException("No " + count + " free consecutive ports found in 50 attempts");
	}

	private static boolean allFree(int first, int count) {
		for (int port = first; port < first + count; port++) {
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				socket.setReuseAddress(true);
			}
			catch (IOException ex) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A browser: it keeps the session cookie, whichever instance set it, as it would
	 * behind a load balancer, drops it when an instance clears it, and does not follow
	 * redirects.
	 */
	private static final class Browser {

		private static final Pattern CSRF_TOKEN = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

		private String sessionCookie;

		void logIn(String url, String username, String password) throws Exception {
			HttpResponse<String> loginPage = get(url + "/login");
			assertThat(loginPage.statusCode()).isEqualTo(200);
			Matcher token = CSRF_TOKEN.matcher(loginPage.body());
			assertThat(token.find()).as("the login page's CSRF token").isTrue();
			String form = "username=" + encode(username) + "&password=" + encode(password) + "&_csrf="
					+ encode(token.group(1));
			HttpResponse<String> loggedIn = send(HttpRequest.newBuilder(URI.create(url + "/login"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form)));
			assertThat(loggedIn.statusCode()).isEqualTo(302);
			assertThat(loggedIn.headers().firstValue("Location")).hasValueSatisfying(
					(location) -> assertThat(location).as("where the login sends " + username).doesNotContain("error"));
		}

		HttpResponse<String> get(String url) throws Exception {
			return send(HttpRequest.newBuilder(URI.create(url)).GET());
		}

		private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
			if (this.sessionCookie != null) {
				request.header("Cookie", this.sessionCookie);
			}
			HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			response.headers()
				.allValues("Set-Cookie")
				.stream()
				.filter((cookie) -> cookie.startsWith("SESSION="))
				.findFirst()
				.map((cookie) -> cookie.substring(0, cookie.indexOf(';')))
				.ifPresent((cookie) -> this.sessionCookie = cookie.equals("SESSION=") ? null : cookie);
			return response;
		}

		private static String encode(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8);
		}

	}

}
