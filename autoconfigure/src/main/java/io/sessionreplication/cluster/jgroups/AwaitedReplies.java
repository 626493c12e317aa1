package io.sessionreplication.cluster.jgroups;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.jgroups.Address;
import org.jgroups.blocks.RspFilter;
import org.jgroups.util.RspList;

/**
 * The synchronous requests this member waits on, so that a suspicion ends the wait at
 * once ({@link SuspicionWatch}): when every member a request still waits for is
 * suspected, the request returns with the answers it has, the suspected members as not
 * answered (missing), without waiting for the view change that will exclude them, or for
 * the timeout. A member that answers in time is never counted as missing for it.
 * <p>
 * It does not exclude anyone, and it does not stop sends to suspected members.
 * Thread-safe.
 */
final class AwaitedReplies implements SuspicionWatch.Listener {

	/** Ends the wait of a request; never thrown to a caller, so without a stack trace. */
	private static final Exception SUSPECTED = new Exception("Every member not answered yet is suspected", null, false,
			false) {
	};

	private final Set<Awaited> awaited = ConcurrentHashMap.newKeySet();

	private final Predicate<Address> suspected;

	/**
	 * Create the registry of awaited requests.
	 * @param suspected whether a member is suspected now
	 */
	AwaitedReplies(Predicate<Address> suspected) {
		this.suspected = suspected;
	}

	/**
	 * Begin a request: the filter to send it with, which learns who answered.
	 * @param destinations the members whose answers the request waits for
	 * @return the filter, for {@link #await}
	 */
	Awaited expect(Collection<Address> destinations) {
		return new Awaited(destinations);
	}

	/**
	 * Wait for the answers of a request sent with the filter of {@link #expect}, at most
	 * the timeout, and no longer once every member not answered yet is suspected.
	 * @param awaited the request's filter
	 * @param request the request, as sent
	 * @param timeoutMillis the longest wait
	 * @return the answers, complete or not
	 */
	RspList<Object> await(Awaited awaited, CompletableFuture<RspList<Object>> request, long timeoutMillis) {
		awaited.request = request;
		this.awaited.add(awaited);
		try {
			endIfOnlySuspectedLeft(awaited);
			// a GroupRequest returns the answers it has however its wait ends
			return request.get(timeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return request.getNow(null);
		}
		catch (ExecutionException | TimeoutException ex) {
			return request.getNow(null);
		}
		finally {
			this.awaited.remove(awaited);
		}
	}

	@Override
	public void suspected() {
		this.awaited.forEach(this::endIfOnlySuspectedLeft);
	}

	private void endIfOnlySuspectedLeft(Awaited awaited) {
		CompletableFuture<RspList<Object>> request = awaited.request;
		if (request != null && !awaited.unanswered.isEmpty() && awaited.unanswered.stream().allMatch(this.suspected)) {
			request.completeExceptionally(SUSPECTED);
		}
	}

	/** The members a request still waits for, as a filter of its answers. */
	static final class Awaited implements RspFilter {

		private final Set<Address> unanswered = ConcurrentHashMap.newKeySet();

		private volatile CompletableFuture<RspList<Object>> request;

		private Awaited(Collection<Address> destinations) {
			this.unanswered.addAll(destinations);
		}

		@Override
		public boolean isAcceptable(Object response, Address sender) {
			this.unanswered.remove(sender);
			return true;
		}

		@Override
		public boolean needMoreResponses() {
			return true;
		}

	}

}
