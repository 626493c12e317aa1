package io.sessionreplication.cluster.jgroups;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.blocks.GroupRequest;
import org.jgroups.util.RspList;
import org.jspecify.annotations.Nullable;

/**
 * The requests this member waits on, so that a member whose crash is confirmed
 * ({@link CrashWatch}) stops holding them up: each request then treats the member as it
 * would once a view without it is installed, as not answered, and returns as soon as the
 * other members have answered, instead of waiting the second or so until the view
 * changes. A request sent while a member's crash is confirmed does not wait for it
 * either. A member that answered is never changed to not answered.
 * <p>
 * It excludes nobody from the view and stops no message: only the waiting ends early.
 * Thread-safe.
 */
final class PendingRequests {

	private final Set<GroupRequest<Object>> pending = ConcurrentHashMap.newKeySet();

	private final Supplier<Set<Address>> crashed;

	private final Supplier<@Nullable View> view;

	/**
	 * Create the registry of requests waited on.
	 * @param crashed the members whose crash is confirmed now, most often none
	 * @param view the view installed now
	 */
	PendingRequests(Supplier<Set<Address>> crashed, Supplier<@Nullable View> view) {
		this.crashed = crashed;
		this.view = view;
	}

	/**
	 * Wait for the answers of a request just sent, at most the timeout, and not for
	 * members whose crash is or becomes confirmed.
	 * @param request the request, as sent
	 * @param timeoutMillis the longest wait
	 * @return the answers, complete or not
	 */
	@Nullable RspList<Object> await(CompletableFuture<RspList<Object>> request, long timeoutMillis) {
		if (!(request instanceof GroupRequest<Object> groupRequest)) {
			return request.getNow(null);
		}
		this.pending.add(groupRequest);
		try {
			stopWaitingForCrashed(groupRequest);
			// a GroupRequest returns the answers it has however its wait ends
			return groupRequest.get(timeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return groupRequest.getNow(null);
		}
		catch (Exception ex) {
			return groupRequest.getNow(null);
		}
		finally {
			this.pending.remove(groupRequest);
		}
	}

	/**
	 * A member's crash was confirmed: no request waits for it any more.
	 */
	void crashConfirmed() {
		this.pending.forEach(this::stopWaitingForCrashed);
	}

	/**
	 * Stop waiting for the members whose crash is confirmed; with none, the case of
	 * nearly every request, it costs one look at an empty set.
	 */
	private void stopWaitingForCrashed(GroupRequest<Object> request) {
		Set<Address> crashed = this.crashed.get();
		if (crashed.isEmpty()) {
			return;
		}
		View current = this.view.get();
		if (current == null || current.getMembers().stream().noneMatch(crashed::contains)) {
			return;
		}
		List<Address> alive = current.getMembers().stream().filter((member) -> !crashed.contains(member)).toList();
		// as if the view without them were installed: those not answered count as
		// suspected, and the request completes once the others have answered
		request.viewChange(new View(current.getViewId(), alive), false);
	}

}
