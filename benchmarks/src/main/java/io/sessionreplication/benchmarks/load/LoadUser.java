package io.sessionreplication.benchmarks.load;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A virtual user of the load benchmark: one session, kept by its cookie (whichever the
 * backend sets), and the last counter the application told it. Not thread-safe: one
 * worker drives it.
 */
final class LoadUser {

	private static final Pattern ANSWER = Pattern.compile("\"session\":\"([^\"]+)\",\"counter\":(\\d+)");

	private final int index;

	private String cookie;

	private String sessionId;

	private int counter;

	private long requests;

	LoadUser(int index) {
		this.index = index;
	}

	/**
	 * Call {@code GET /counter} on a node and check the answer.
	 * @param client the worker's HTTP client
	 * @param node the node
	 * @return what the answer showed
	 * @throws IOException if the request fails
	 * @throws InterruptedException if interrupted
	 */
	Outcome request(HttpClient client, BenchmarkNode node) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(node.uri("/counter")).timeout(Duration.ofSeconds(30));
		if (this.cookie != null) {
			request.header("Cookie", this.cookie);
		}
		HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		this.requests++;
		response.headers().firstValue("Set-Cookie").ifPresent((setCookie) -> this.cookie = setCookie.split(";", 2)[0]);
		Matcher answer = ANSWER.matcher(response.body());
		if (response.statusCode() != 200 || !answer.find()) {
			return Outcome.ERROR;
		}
		String previousSession = this.sessionId;
		int expected = this.counter + 1;
		this.sessionId = answer.group(1);
		this.counter = Integer.parseInt(answer.group(2));
		if (previousSession != null && !previousSession.equals(this.sessionId)) {
			return Outcome.LOST;
		}
		return (this.counter == expected) ? Outcome.OK : Outcome.STALE;
	}

	int index() {
		return this.index;
	}

	long requests() {
		return this.requests;
	}

	int counter() {
		return this.counter;
	}

	/** What one answer showed. */
	enum Outcome {

		/** The counter moved by exactly one. */
		OK,

		/** The counter did not move by exactly one: a stale read or a lost update. */
		STALE,

		/** The session was gone: the answer came with another session. */
		LOST,

		/** Not a valid answer. */
		ERROR

	}

}
