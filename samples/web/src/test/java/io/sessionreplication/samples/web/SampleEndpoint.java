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
import java.time.Duration;
import java.util.List;

import io.sessionreplication.test.ProcessMember;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a node's {@code sessionreplication} actuator endpoint: its view of the cluster,
 * and its copy of a session; and one of its meters.
 */
final class SampleEndpoint {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private SampleEndpoint() {
	}

	/**
	 * The members of a node's current view.
	 * @param http the client
	 * @param node the node
	 * @return the members, empty if the node does not answer
	 */
	static List<String> members(HttpClient http, ProcessMember node) {
		return member(http, node).members();
	}

	/**
	 * A node's current view.
	 * @param http the client
	 * @param node the node
	 * @return its view, with no id and no members if the node does not answer
	 */
	static Member member(HttpClient http, ProcessMember node) {
		String body = get(http, node, "/actuator/sessionreplication");
		return (body != null) ? json.readValue(body, Member.class) : new Member(node.name(), "none", List.of(), 0);
	}

	/**
	 * A node's copy of a session.
	 * @param http the client
	 * @param node the node
	 * @param sessionId the session id
	 * @return the copy
	 * @throws AssertionError if the node does not answer
	 */
	static Copy copy(HttpClient http, ProcessMember node, String sessionId) {
		String body = get(http, node, "/actuator/sessionreplication/" + sessionId);
		if (body == null) {
			throw new AssertionError(node.name() + " did not describe its copy of " + sessionId);
		}
		return json.readValue(body, Copy.class);
	}

	/**
	 * The acknowledged writes that the split-brain rule discarded, as a node counted them
	 * ({@code session.replication.writes.discarded}, from the {@code metrics} endpoint,
	 * which the node must expose).
	 * @param http the client
	 * @param node the node
	 * @return the count since the node started
	 * @throws AssertionError if the node does not answer
	 */
	static long discardedWrites(HttpClient http, ProcessMember node) {
		String body = get(http, node, "/actuator/metrics/session.replication.writes.discarded");
		if (body == null) {
			throw new AssertionError(node.name() + " did not tell its count of discarded writes");
		}
		return (long) json.readValue(body, Metric.class).measurements().get(0).value();
	}

	private static String get(HttpClient http, ProcessMember node, String path) {
		try {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.uri(path)).timeout(TIMEOUT).build(),
					HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? response.body() : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * A node's view.
	 *
	 * @param member the node's member name
	 * @param view the id of its view
	 * @param members the members of its view
	 * @param wireFormat the wire format it sends in; 0 if it did not answer
	 */
	record Member(String member, String view, List<String> members, int wireFormat) {
	}

	/**
	 * A meter, as the {@code metrics} endpoint describes it.
	 *
	 * @param measurements its measurements, one for a counter
	 */
	record Metric(List<Measurement> measurements) {
	}

	/**
	 * A measurement of a meter.
	 *
	 * @param value its value
	 */
	record Measurement(double value) {
	}

	/**
	 * A node's copy of a session.
	 *
	 * @param member the node's member name
	 * @param held whether it holds a copy
	 * @param owner whether it owns the session
	 * @param coverage the coverage of the copy
	 * @param fingerprint a digest of the copy's versions
	 */
	record Copy(String member, boolean held, boolean owner, String coverage, String fingerprint) {
	}

}
