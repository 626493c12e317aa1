package io.sessionreplication.benchmarks.load;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link HttpConnection}, the load client's connection, against the JDK's HTTP
 * server on 127.0.0.1: answers of a length and in chunks, cookies both ways, keep-alive,
 * a node that closes the connection, and an answer too large.
 */
class HttpConnectionTests {

	private final List<String> cookiesReceived = new CopyOnWriteArrayList<>();

	private final AtomicInteger requests = new AtomicInteger();

	private HttpServer server;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/length", (exchange) -> answer(exchange, "{\"counter\":1}", false));
		this.server.createContext("/chunks", (exchange) -> answer(exchange, "x".repeat(5000), true));
		this.server.createContext("/close", (exchange) -> {
			exchange.getResponseHeaders().add("Connection", "close");
			answer(exchange, "bye", false);
		});
		this.server.createContext("/large",
				(exchange) -> answer(exchange, "y".repeat(HttpConnection.MAX_ANSWER), false));
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
	}

	@Test
	void readsAnswersOfALengthOnOneKeptConnectionAndSendsTheCookie() throws IOException {
		try (HttpConnection connection = connection()) {
			HttpConnection.Answer first = connection.get("/length", null);
			HttpConnection.Answer second = connection.get("/length", first.setCookie());

			assertThat(first.status()).isEqualTo(200);
			assertThat(first.body()).isEqualTo("{\"counter\":1}");
			assertThat(first.setCookie()).isEqualTo("SESSION=abc1");
			assertThat(second.setCookie()).isEqualTo("SESSION=abc2");
			assertThat(this.cookiesReceived).containsExactly("none", "SESSION=abc1");
			assertThat(connection.connects()).isEqualTo(1);
		}
	}

	@Test
	void readsAnAnswerInChunks() throws IOException {
		try (HttpConnection connection = connection()) {
			assertThat(connection.get("/chunks", null).body()).isEqualTo("x".repeat(5000));
			assertThat(connection.get("/length", null).body()).isEqualTo("{\"counter\":1}");
			assertThat(connection.connects()).isEqualTo(1);
		}
	}

	@Test
	void reconnectsAfterTheNodeClosedTheConnection() throws IOException {
		try (HttpConnection connection = connection()) {
			assertThat(connection.get("/close", null).body()).isEqualTo("bye");
			assertThat(connection.get("/length", null).body()).isEqualTo("{\"counter\":1}");
			assertThat(connection.connects()).isEqualTo(2);
		}
	}

	@Test
	void refusesAnAnswerLargerThanItsBufferAndReconnectsForTheNext() throws IOException {
		try (HttpConnection connection = connection()) {
			assertThatIOException().isThrownBy(() -> connection.get("/large", null))
				.withMessageContaining("more than " + HttpConnection.MAX_ANSWER);
			assertThat(connection.get("/length", null).body()).isEqualTo("{\"counter\":1}");
			assertThat(connection.connects()).isEqualTo(2);
		}
	}

	private HttpConnection connection() {
		return new HttpConnection("127.0.0.1", this.server.getAddress().getPort());
	}

	private void answer(HttpExchange exchange, String body, boolean chunked) throws IOException {
		String cookie = exchange.getRequestHeaders().getFirst("Cookie");
		this.cookiesReceived.add((cookie != null) ? cookie : "none");
		exchange.getResponseHeaders()
			.add("Set-Cookie", "SESSION=abc" + this.requests.incrementAndGet() + "; Path=/; HttpOnly");
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(200, chunked ? 0 : bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			if (chunked) {
				// in several chunks
				out.write(bytes, 0, 1000);
				out.flush();
				out.write(bytes, 1000, bytes.length - 1000);
			}
			else {
				out.write(bytes);
			}
		}
	}

}
