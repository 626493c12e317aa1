package io.sessionreplication.benchmarks.load;

import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import io.sessionreplication.benchmarks.load.HttpConnection.Answer;

/**
 * A virtual user of the load benchmark: one session, kept by its cookie (whichever the
 * backend sets), the last counter the application told it, and one keep-alive connection
 * to each node it calls, as a browser keeps. Not thread-safe: one worker drives it.
 */
final class LoadUser implements Closeable {

	private static final String SESSION_FIELD = "\"session\":\"";

	private static final String COUNTER_FIELD = "\"counter\":";

	private final Map<BenchmarkNode, HttpConnection> connections = new HashMap<>();

	private final int index;

	private String cookie;

	private String sessionId;

	private int counter;

	private long requests;

	LoadUser(int index) {
		this.index = index;
	}

	/**
	 * Call {@code GET /counter} on a node, on this user's connection to it, and check the
	 * answer.
	 * @param node the node
	 * @return what the answer showed
	 * @throws IOException if the request fails
	 */
	Outcome request(BenchmarkNode node) throws IOException {
		HttpConnection connection = this.connections.computeIfAbsent(node, BenchmarkNode::connect);
		Answer answer = connection.get("/counter", this.cookie);
		this.requests++;
		if (answer.setCookie() != null) {
			this.cookie = answer.setCookie();
		}
		String body = answer.body();
		int session = body.indexOf(SESSION_FIELD);
		int sessionEnd = (session >= 0) ? body.indexOf('"', session + SESSION_FIELD.length()) : -1;
		int counter = (sessionEnd >= 0) ? body.indexOf(COUNTER_FIELD, sessionEnd) : -1;
		if (answer.status() != 200 || counter < 0) {
			return Outcome.ERROR;
		}
		String previousSession = this.sessionId;
		int expected = this.counter + 1;
		this.sessionId = body.substring(session + SESSION_FIELD.length(), sessionEnd);
		this.counter = parseCounter(body, counter + COUNTER_FIELD.length());
		if (previousSession != null && !previousSession.equals(this.sessionId)) {
			return Outcome.LOST;
		}
		return (this.counter == expected) ? Outcome.OK : Outcome.STALE;
	}

	private static int parseCounter(String body, int from) {
		int value = 0;
		for (int i = from; i < body.length() && Character.isDigit(body.charAt(i)); i++) {
			value = value * 10 + (body.charAt(i) - '0');
		}
		return value;
	}

	/**
	 * How many connections this user opened, reconnections included.
	 * @return the count
	 */
	long connects() {
		return this.connections.values().stream().mapToLong(HttpConnection::connects).sum();
	}

	@Override
	public void close() {
		this.connections.values().forEach(HttpConnection::close);
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
