package io.sessionreplication.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.sessionreplication.test.ReplicationEndpoint.Copy;
import io.sessionreplication.test.ReplicationEndpoint.MemberCopy;
import org.jspecify.annotations.Nullable;

/**
 * Checks of a {@link LocalCluster} at rest, for the sessions of some {@link Browser}s.
 * They read each serving member's {@code sessionreplication} actuator endpoint, which the
 * kit exposes on every member it starts. Each throws an {@link AssertionError} that names
 * every session (by a prefix of its id) and member that fails, and why.
 */
public final class ClusterAssertions {

	private ClusterAssertions() {
	}

	/**
	 * Check, retrying until {@code within} has passed, that every owner of each session
	 * holds a copy and that all the copies are equal: every member in {@code all-to-all}
	 * mode, the primary and its backups in {@code primary-backup}. Call it once the
	 * requests have stopped and the cluster has settled
	 * ({@link LocalCluster#awaitView()}).
	 * @param cluster the cluster
	 * @param browsers the users whose sessions to check; those without a session are
	 * skipped
	 * @param within how long the copies may take to agree
	 * @throws AssertionError if they still differ
	 */
	public static void assertCopiesAgree(LocalCluster cluster, Collection<Browser> browsers, Duration within) {
		long deadline = System.nanoTime() + within.toNanos();
		while (true) {
			List<String> disagreements = new ArrayList<>();
			for (Browser browser : browsers) {
				String sessionId = browser.sessionId();
				if (sessionId != null) {
					String disagreement = disagreement(cluster, sessionId);
					if (disagreement != null) {
						disagreements.add(browser + ": " + disagreement);
					}
				}
			}
			if (disagreements.isEmpty()) {
				return;
			}
			if (System.nanoTime() >= deadline) {
				throw new AssertionError("The copies of " + disagreements.size() + " session(s) did not agree within "
						+ within + ":\n  " + String.join("\n  ", disagreements));
			}
			LocalCluster.sleep(Duration.ofMillis(200));
		}
	}

	private static @Nullable String disagreement(LocalCluster cluster, String sessionId) {
		List<ClusterMember> serving = cluster.servingMembers();
		if (serving.isEmpty()) {
			return "no member serves";
		}
		Copy copy = ReplicationEndpoint.copy(serving.get(0), sessionId, true, false);
		if (copy == null || copy.cluster() == null) {
			return serving.get(0).name() + " did not describe the copies";
		}
		for (MemberCopy member : copy.cluster()) {
			if (!member.answered()) {
				return member.member() + " did not answer; copies: " + copy.cluster();
			}
		}
		List<MemberCopy> owners = copy.cluster().stream().filter(MemberCopy::isOwner).toList();
		if (owners.isEmpty()) {
			return "no member owns the session";
		}
		String fingerprint = null;
		for (MemberCopy owner : owners) {
			if (!owner.held()) {
				return "owner " + owner.member() + " holds no copy; copies: " + copy.cluster();
			}
			if (fingerprint == null) {
				fingerprint = owner.fingerprint();
			}
			else if (!fingerprint.equals(owner.fingerprint())) {
				return "the owners' copies differ: " + copy.cluster();
			}
		}
		return null;
	}

	/**
	 * Check that every attribute of each session can be read on every serving member that
	 * holds a copy, and fits the size limits there ({@code max-attribute-size},
	 * {@code max-session-size}): a value whose class is missing or changed on a member,
	 * or denied by its serialization filter, fails here before it fails a user's request.
	 * The check deserializes each value afresh on the member, and changes nothing.
	 * @param cluster the cluster
	 * @param browsers the users whose sessions to check; those without a session are
	 * skipped
	 * @throws AssertionError naming each session, member and attribute that fails
	 */
	public static void assertAttributesReadable(LocalCluster cluster, Collection<Browser> browsers) {
		List<String> problems = new ArrayList<>();
		for (Browser browser : browsers) {
			String sessionId = browser.sessionId();
			if (sessionId == null) {
				continue;
			}
			for (ClusterMember member : cluster.servingMembers()) {
				Copy copy = ReplicationEndpoint.copy(member, sessionId, false, true);
				if (copy == null) {
					problems.add(browser + " on " + member.name() + ": the member did not describe its copy");
				}
				else if (copy.held() && copy.attributes() != null) {
					copy.attributes()
						.problems()
						.forEach((problem) -> problems.add(browser + " on " + member.name() + ": " + problem));
				}
			}
		}
		if (!problems.isEmpty()) {
			throw new AssertionError(problems.size() + " attribute problem(s):\n  " + String.join("\n  ", problems));
		}
	}

}
