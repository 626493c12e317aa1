package io.sessionreplication.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionReplicationAutoConfiguration} in two reactive applications in
 * this JVM, each on a Reactor Netty server on 127.0.0.1, members of one cluster: a
 * client's requests alternate between them with one session cookie, and the counter in
 * its session never goes back.
 */
class SessionReplicationReactiveWebServerTests {

	private static final int REQUESTS = 20;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void counterInTheSessionGoesUpByOneWhileRequestsAlternateBetweenTheMembers() throws Exception {
		String clusterName = "reactive-web-server-" + UUID.randomUUID();
		try (ConfigurableApplicationContext first = start(clusterName);
				ConfigurableApplicationContext second = start(clusterName)) {
			MemberContexts.awaitMembers(first, 2);
			List<Integer> ports = List.of(port(first), port(second));
			assertThat(((WebServerApplicationContext) first).getWebServer().getClass().getSimpleName())
				.isEqualTo("NettyWebServer");
			String cookie = null;
			for (int i = 1; i <= REQUESTS; i++) {
				HttpResponse<String> response = visit(ports.get(i % 2), cookie);
				assertThat(response.body()).as("counter of request %d", i).isEqualTo(String.valueOf(i));
				if (cookie == null) {
					cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
					assertThat(cookie).startsWith("SESSION=");
					cookie = cookie.substring(0, cookie.indexOf(';'));
				}
			}
			String id = cookie.substring("SESSION=".length());
			for (ConfigurableApplicationContext member : List.of(first, second)) {
				ReplicatedSession session = member.getBean(ReplicatedSessionRepository.class).findById(id);
				assertThat(session).isNotNull();
				assertThat(session.<Integer>getAttribute("counter")).isEqualTo(REQUESTS);
			}
		}
	}

	private HttpResponse<String> visit(int port, String cookie) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/counter"))
			.timeout(Duration.ofSeconds(10));
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		HttpResponse<String> response = this.client.send(request.build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response;
	}

	private static ConfigurableApplicationContext start(String clusterName) {
		return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.address=127.0.0.1", "server.port=0", "spring.main.banner-mode=off",
					"session.replication.jgroups.config=classpath:test-stack.xml",
					"session.replication.cluster-name=" + clusterName)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	/** Tomcat is on the class path for the servlet tests: this application runs Netty. */
	@SpringBootConfiguration
	@EnableAutoConfiguration(
			excludeName = "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration")
	static class TestApplication {

		@Bean
		RouterFunction<ServerResponse> counter() {
			return RouterFunctions.route().GET("/counter", (request) -> request.session().flatMap((session) -> {
				Integer counter = session.getAttribute("counter");
				int next = (counter != null) ? counter + 1 : 1;
				session.getAttributes().put("counter", next);
				return ServerResponse.ok().bodyValue(String.valueOf(next));
			})).build();
		}

	}

}
