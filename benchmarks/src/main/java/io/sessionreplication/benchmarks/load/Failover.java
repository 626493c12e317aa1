package io.sessionreplication.benchmarks.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.sessionreplication.benchmarks.load.LoadUser.Outcome;

/**
 * The failover measurement: sessions are created and updated on every node, as behind a
 * sticky load balancer; the first node is killed ({@code kill -9}) right after the last
 * update; then every session is read once more, those of the dead node from a survivor,
 * as the load balancer would send them. A session that comes back as another one is lost;
 * one whose counter did not move by exactly one lost an update (its counter went back).
 * It also times the requests after the kill: the first, which meets the cluster right
 * after the crash, and the longest, since a request may wait for the dead node.
 */
final class Failover {

	private static final int UPDATES = 2;

	private Failover() {
	}

	static Result measure(List<BenchmarkNode> nodes, int sessions) {
		List<LoadUser> users = new ArrayList<>();
		try {
			for (int i = 0; i < sessions; i++) {
				LoadUser user = new LoadUser(i);
				users.add(user);
				for (int update = 0; update <= UPDATES; update++) {
					user.request(nodes.get(i % nodes.size()));
				}
				// one connection per user at a time, not one per session held
				user.close();
			}
			nodes.get(0).kill9();
			int lost = 0;
			int wentBack = 0;
			long firstNanos = -1;
			long longestNanos = 0;
			for (LoadUser user : users) {
				int home = user.index() % nodes.size();
				long start = System.nanoTime();
				Outcome outcome = user.request(nodes.get((home == 0) ? 1 : home));
				long nanos = System.nanoTime() - start;
				firstNanos = (firstNanos < 0) ? nanos : firstNanos;
				longestNanos = Math.max(longestNanos, nanos);
				user.close();
				lost += (outcome == Outcome.LOST || outcome == Outcome.ERROR) ? 1 : 0;
				wentBack += (outcome == Outcome.STALE) ? 1 : 0;
			}
			return new Result(sessions, lost, wentBack, Duration.ofNanos(Math.max(firstNanos, 0)),
					Duration.ofNanos(longestNanos));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Failover measurement failed", ex);
		}
		finally {
			users.forEach(LoadUser::close);
		}
	}

	/**
	 * What the failover measurement found.
	 *
	 * @param sessions the sessions read after the kill
	 * @param lost the sessions that were gone
	 * @param wentBack the sessions whose counter went back
	 * @param first how long the first request after the kill took
	 * @param longest how long the longest request after the kill took
	 */
	record Result(int sessions, int lost, int wentBack, Duration first, Duration longest) {
	}

}
