package io.sessionreplication.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * What the application acknowledged to each user: the test records, after each successful
 * update, the state the user was told, and then checks that every serving member still
 * serves it: no acknowledged update was lost, and no member serves an older state. What
 * "the state" is depends on the application: a counter, the items of a cart, the body of
 * a page. <pre class="code">
 * AcknowledgedUpdates&lt;String&gt; carts = new AcknowledgedUpdates&lt;&gt;();
 * Reply reply = user.post("/cart?item=book");
 * carts.acknowledged(user, reply.body());
 * cluster.member(0).crash();
 * carts.assertNoneLost(cluster, (browser, member) -&gt; browser.getFrom(member, "/cart").body());
 * </pre>
 *
 * @param <T> the type of the state
 */
public final class AcknowledgedUpdates<T> {

	private final Map<Browser, T> acknowledged = new LinkedHashMap<>();

	/**
	 * Record the state a user was told after an acknowledged update.
	 * @param browser the user
	 * @param state the state, as the application answered it
	 */
	public synchronized void acknowledged(Browser browser, T state) {
		this.acknowledged.put(browser, state);
	}

	/**
	 * The state a user was last told.
	 * @param browser the user
	 * @return the state, {@code null} if none was recorded
	 */
	public synchronized T lastAcknowledged(Browser browser) {
		return this.acknowledged.get(browser);
	}

	/**
	 * Check that every serving member serves each user the state it was last told.
	 * @param cluster the cluster
	 * @param read reads a user's state through one member
	 * @throws AssertionError naming each user and member that serves another state
	 */
	public synchronized void assertNoneLost(LocalCluster cluster, BiFunction<Browser, ClusterMember, T> read) {
		List<String> lost = new ArrayList<>();
		this.acknowledged.forEach((browser, expected) -> {
			for (ClusterMember member : cluster.servingMembers()) {
				T served = read.apply(browser, member);
				if (!Objects.equals(served, expected)) {
					lost.add(browser + " on " + member.name() + ": acknowledged " + expected + ", served " + served);
				}
			}
		});
		if (!lost.isEmpty()) {
			throw new AssertionError(
					lost.size() + " acknowledged update(s) not served:\n  " + String.join("\n  ", lost));
		}
	}

}
