package io.sessionreplication.test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a member's {@code sessionreplication} actuator endpoint over HTTP: the members of
 * its view, and its copies of a session. Answers only what the kit's checks need.
 */
final class ReplicationEndpoint {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private ReplicationEndpoint() {
	}

	/**
	 * The members of a member's view.
	 * @param member the member asked
	 * @return the member names, {@code null} if it did not answer
	 */
	static @Nullable List<String> members(ClusterMember member) {
		String body = get(member, "/actuator/sessionreplication");
		return (body != null) ? json.readValue(body, View.class).members() : null;
	}

	/**
	 * A member's copy of a session, with every member's when {@code cluster}, and the
	 * check of its attributes when {@code attributes}.
	 * @param member the member asked
	 * @param sessionId the session id
	 * @param cluster whether to ask every member of the view too
	 * @param attributes whether to check the attributes of the member's copy
	 * @return the copy, {@code null} if the member did not answer
	 */
	static @Nullable Copy copy(ClusterMember member, String sessionId, boolean cluster, boolean attributes) {
		String body = get(member,
				"/actuator/sessionreplication/" + sessionId + "?cluster=" + cluster + "&attributes=" + attributes);
		return (body != null) ? json.readValue(body, Copy.class) : null;
	}

	private static @Nullable String get(ClusterMember member, String path) {
		try {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(member.uri(path)).timeout(TIMEOUT).build(),
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

	record View(String member, List<String> members) {
	}

	record Copy(String member, boolean held, @Nullable String role, @Nullable String fingerprint,
			@Nullable List<MemberCopy> cluster, @Nullable Attributes attributes) {
	}

	record MemberCopy(String member, boolean answered, boolean held, @Nullable String role,
			@Nullable String fingerprint) {

		boolean isOwner() {
			return "replica".equals(this.role) || "primary".equals(this.role) || "backup".equals(this.role);
		}

	}

	record Attributes(int count, long bytes, List<Problem> problems) {
	}

	record Problem(@Nullable String attribute, String problem) {

		@Override
		public String toString() {
			return ((this.attribute != null) ? "attribute '" + this.attribute + "': " : "") + this.problem;
		}

	}

}
