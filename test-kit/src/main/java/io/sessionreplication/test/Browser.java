package io.sessionreplication.test;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One user of the application: a cookie jar of its own, so that its session follows it
 * from member to member, and a {@link Routing} that picks the member of each request as a
 * load balancer would. All members run on 127.0.0.1, so one cookie serves them all, as
 * behind a load balancer. Not thread-safe: one browser is one user, one request at a
 * time.
 */
public final class Browser {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final LocalCluster cluster;

	private final Routing routing;

	private final String sessionCookie;

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient http;

	private @Nullable ClusterMember last;

	Browser(LocalCluster cluster, Routing routing, String sessionCookie) {
		this.cluster = cluster;
		this.routing = routing;
		this.sessionCookie = sessionCookie;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.cookieHandler(this.cookies)
			.build();
	}

	/**
	 * {@code GET} a path from the member the routing picks.
	 * @param path the path, with its query
	 * @return the reply
	 * @throws AssertionError if no member serves, or the request fails
	 */
	public Reply get(String path) {
		return send("GET", path, next());
	}

	/**
	 * {@code POST} to a path, without a body, on the member the routing picks.
	 * @param path the path, with its query
	 * @return the reply
	 * @throws AssertionError if no member serves, or the request fails
	 */
	public Reply post(String path) {
		return send("POST", path, next());
	}

	/**
	 * {@code GET} a path from a given member, whatever the routing says, and without
	 * changing where the routing goes next: to read what each member serves.
	 * @param member the member
	 * @param path the path, with its query
	 * @return the reply
	 * @throws AssertionError if the request fails
	 */
	public Reply getFrom(ClusterMember member, String path) {
		return send("GET", path, member);
	}

	/**
	 * Send a request to the member the routing picks.
	 * @param method the HTTP method
	 * @param path the path, with its query
	 * @return the reply
	 * @throws AssertionError if no member serves, or the request fails
	 */
	public Reply send(String method, String path) {
		return send(method, path, next());
	}

	private Reply send(String method, String path, ClusterMember member) {
		HttpRequest request = HttpRequest.newBuilder(member.uri(path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.timeout(TIMEOUT)
			.build();
		try {
			HttpResponse<String> response = this.http.send(request,
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			return new Reply(member, response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new AssertionError(method + " " + path + " to " + member + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted: " + method + " " + path + " to " + member, ex);
		}
	}

	private ClusterMember next() {
		List<ClusterMember> serving = this.cluster.servingMembers();
		if (serving.isEmpty()) {
			throw new AssertionError("No member of the cluster serves: " + this.cluster.members());
		}
		ClusterMember previous = this.last;
		ClusterMember chosen;
		if (previous != null && this.routing == Routing.STICKY && previous.isServing()) {
			chosen = previous;
		}
		else {
			chosen = nextAfter(previous, serving);
		}
		this.last = chosen;
		return chosen;
	}

	/** The first serving member after {@code previous} in the cluster's order. */
	private ClusterMember nextAfter(@Nullable ClusterMember previous, List<ClusterMember> serving) {
		List<ClusterMember> all = this.cluster.members();
		int start = (previous != null) ? all.indexOf(previous) + 1 : 0;
		for (int i = 0; i < all.size(); i++) {
			ClusterMember candidate = all.get((start + i) % all.size());
			if (serving.contains(candidate)) {
				return candidate;
			}
		}
		return serving.get(0);
	}

	/**
	 * The member of the latest request the routing picked.
	 * @return the member, {@code null} before the first request
	 */
	public @Nullable ClusterMember lastMember() {
		return this.last;
	}

	/**
	 * The id of this user's session, from its session cookie: Spring Session's servlet
	 * cookie holds it encoded in Base64, its WebFlux cookie as it is; both are read.
	 * @return the session id, {@code null} without a session cookie
	 */
	public @Nullable String sessionId() {
		for (HttpCookie cookie : this.cookies.getCookieStore().getCookies()) {
			if (cookie.getName().equals(this.sessionCookie) && !cookie.getValue().isEmpty()) {
				return decode(cookie.getValue());
			}
		}
		return null;
	}

	private static String decode(String value) {
		try {
			String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
			return decoded.chars().allMatch((c) -> c > 32 && c < 127) ? decoded : value;
		}
		catch (IllegalArgumentException ex) {
			return value;
		}
	}

	/**
	 * Names the browser by a short prefix of its session id, never the whole id.
	 */
	@Override
	public String toString() {
		String id = sessionId();
		return "browser (" + this.routing.name().toLowerCase() + ", session "
				+ ((id != null) ? id.substring(0, Math.min(6, id.length())) + "..." : "none") + ")";
	}

}
