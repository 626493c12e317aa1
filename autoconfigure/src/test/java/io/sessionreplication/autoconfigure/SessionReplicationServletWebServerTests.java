package io.sessionreplication.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionReplicationAutoConfiguration} in an application with an
 * embedded Tomcat on 127.0.0.1, where {@code server.servlet.session.timeout} applies.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "server.servlet.session.timeout=7m",
				"session.replication.jgroups.config=classpath:test-stack.xml",
				"session.replication.cluster-name=servlet-web-server-${random.uuid}" })
@DirtiesContext
class SessionReplicationServletWebServerTests {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Autowired
	private ReplicatedSessionRepository repository;

	@LocalServerPort
	private int port;

	@Test
	void sessionTimeoutFallsBackToServerServletSessionTimeout() {
		assertThat(this.repository.createSession().getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(7));
	}

	@Test
	void requestsKeepTheirSessionInTheReplicatedRepository() throws Exception {
		HttpResponse<String> first = visit(null);
		String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
		assertThat(cookie).startsWith("SESSION=");
		String cookieValue = cookie.substring("SESSION=".length(), cookie.indexOf(';'));

		HttpResponse<String> second = visit(cookieValue);

		assertThat(first.body()).isEqualTo("1");
		assertThat(second.body()).isEqualTo("2");
		String id = new String(Base64.getDecoder().decode(cookieValue), StandardCharsets.UTF_8);
		ReplicatedSession session = this.repository.findById(id);
		assertThat(session).isNotNull();
		assertThat(session.<Integer>getAttribute("visits")).isEqualTo(2);
		assertThat(session.getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(7));
	}

	private HttpResponse<String> visit(String cookie) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/visits"))
			.timeout(Duration.ofSeconds(10));
		if (cookie != null) {
			request.header("Cookie", "SESSION=" + cookie);
		}
		HttpResponse<String> response = this.client.send(request.build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(VisitsController.class)
	static class TestApplication {

	}

	@RestController
	static class VisitsController {

		@GetMapping("/visits")
		String visits(HttpSession session) {
			Integer visits = (Integer) session.getAttribute("visits");
			int next = (visits != null) ? visits + 1 : 1;
			session.setAttribute("visits", next);
			return String.valueOf(next);
		}

	}

}
