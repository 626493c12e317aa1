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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import io.sessionreplication.test.ProcessMember;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A browser with one tab on the sample: it keeps the {@code SESSION} cookie the way a
 * browser does (whatever node set it, since cookies do not depend on the port) and
 * remembers the last counter it was told, so that a test can say what the next one must
 * be.
 */
final class VirtualUser {

	static final String COOKIE_NAME = "SESSION";

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final String name;

	private final HttpClient client;

	private String cookie;

	private Answer last;

	private String lastNode;

	VirtualUser(String name, HttpClient client) {
		this.name = name;
		this.client = client;
	}

	/**
	 * A user that presents a cookie kept from before, as a second tab or a replayed
	 * request would.
	 * @param name the name of the user in failure messages
	 * @param client the HTTP client
	 * @param cookie the value of the {@code SESSION} cookie
	 * @return the user
	 */
	static VirtualUser withCookie(String name, HttpClient client, String cookie) {
		VirtualUser user = new VirtualUser(name, client);
		user.cookie = cookie;
		return user;
	}

	/**
	 * Call {@code GET /counter} on a node.
	 * @param node the node
	 * @return the answer
	 * @throws IOException if the node does not answer 200 or not at all
	 * @throws InterruptedException if interrupted
	 */
	Answer counter(ProcessMember node) throws IOException, InterruptedException {
		HttpResponse<String> response = getCounter(node);
		if (response.statusCode() != 200) {
			throw new IOException("GET /counter answered " + response.statusCode() + ": " + response.body());
		}
		Answer answer = json.readValue(response.body(), Answer.class);
		this.last = answer;
		this.lastNode = node.name();
		return answer;
	}

	/**
	 * Call {@code GET /counter} on a node, whatever it answers.
	 * @param node the node
	 * @return the response
	 * @throws IOException if the node does not answer
	 * @throws InterruptedException if interrupted
	 */
	HttpResponse<String> getCounter(ProcessMember node) throws IOException, InterruptedException {
		return send(node, HttpRequest.newBuilder(node.uri("/counter")).GET());
	}

	/**
	 * Call {@code POST /logout} on a node.
	 * @param node the node
	 * @return the status code
	 * @throws IOException if the node does not answer
	 * @throws InterruptedException if interrupted
	 */
	int logout(ProcessMember node) throws IOException, InterruptedException {
		HttpResponse<String> response = send(node,
				HttpRequest.newBuilder(node.uri("/logout")).POST(HttpRequest.BodyPublishers.noBody()));
		this.last = null;
		return response.statusCode();
	}

	/**
	 * Call {@code POST /cart?item=} on a node, or {@code GET /cart} without an item.
	 * @param node the node
	 * @param item the item to add, or {@code null} to read the cart
	 * @return the items of the cart as the node holds them after the call
	 * @throws IOException if the node does not answer 200 or not at all
	 * @throws InterruptedException if interrupted
	 */
	List<String> cart(ProcessMember node, @Nullable String item) throws IOException, InterruptedException {
		HttpRequest.Builder request = (item != null)
				? HttpRequest.newBuilder(node.uri("/cart?item=" + item)).POST(HttpRequest.BodyPublishers.noBody())
				: HttpRequest.newBuilder(node.uri("/cart")).GET();
		HttpResponse<String> response = send(node, request);
		if (response.statusCode() != 200) {
			throw new IOException("/cart answered " + response.statusCode() + ": " + response.body());
		}
		return json.readValue(response.body(), Cart.class).items();
	}

	private HttpResponse<String> send(ProcessMember node, HttpRequest.Builder request)
			throws IOException, InterruptedException {
		request.timeout(REQUEST_TIMEOUT);
		if (this.cookie != null) {
			request.header("Cookie", COOKIE_NAME + "=" + this.cookie);
		}
		HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		for (String header : response.headers().allValues("Set-Cookie")) {
			if (header.startsWith(COOKIE_NAME + "=")) {
				int end = header.indexOf(';');
				String value = header.substring(COOKIE_NAME.length() + 1, (end >= 0) ? end : header.length());
				this.cookie = value.isEmpty() ? null : value;
			}
		}
		return response;
	}

	String name() {
		return this.name;
	}

	/**
	 * The value of the {@code SESSION} cookie.
	 * @return the value, or {@code null} before the first answer and after logout
	 */
	String cookie() {
		return this.cookie;
	}

	/**
	 * The session id the cookie carries (Spring Session's cookie is the id in base64).
	 * @return the id, or {@code null} without a cookie
	 */
	String cookieSessionId() {
		return (this.cookie != null) ? new String(Base64.getDecoder().decode(this.cookie), StandardCharsets.UTF_8)
				: null;
	}

	/**
	 * The last counter this user was told.
	 * @return the counter, 0 before the first answer
	 */
	int counter() {
		return (this.last != null) ? this.last.counter() : 0;
	}

	/**
	 * The session of the last answer.
	 * @return the session id, or {@code null} before the first answer
	 */
	String sessionId() {
		return (this.last != null) ? this.last.session() : null;
	}

	@Override
	public String toString() {
		return this.name + " (session " + sessionId() + ", last counter " + counter() + " from " + this.lastNode + ")";
	}

	/**
	 * The answer of {@code GET /counter}.
	 *
	 * @param node the node that answered
	 * @param session the session id
	 * @param counter the counter
	 * @param previous the previous request of the session, {@code null} if the node told
	 * none
	 */
	record Answer(String node, String session, int counter, Previous previous) {
	}

	/**
	 * The previous request of a session, as a node told it.
	 *
	 * @param node the node that answered it
	 * @param time when
	 */
	record Previous(String node, String time) {
	}

	/**
	 * The answer of {@code /cart}.
	 *
	 * @param node the node that answered
	 * @param items the items of the cart
	 */
	record Cart(String node, List<String> items) {
	}

}
