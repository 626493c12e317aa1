package io.sessionreplication.store;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import io.sessionreplication.wire.AttributeChange;
import io.sessionreplication.wire.ChangeStamp;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionRemoval;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionStore}: the sessions of one member, where local changes and
 * changes from the cluster meet.
 */
class SessionStoreTests {

	private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

	private static final Duration TIMEOUT = Duration.ofMinutes(20);

	/**
	 * A quarter of the timeout past it: a copy last accessed elsewhere at T0 is overdue.
	 */
	private static final Instant OVERDUE = T0.plus(TIMEOUT).plus(TIMEOUT.dividedBy(4));

	/** The view of a sweep that no other member is in any more. */
	private static final Predicate<String> GONE = (member) -> false;

	private final SessionStore store = new SessionStore("node-a");

	@Test
	void deltaForARemovedSessionDoesNotResurrectIt() {
		this.store.apply(delta("session-1", "node-b", T0, set("user", 1, "node-b", "alice")));
		assertThat(this.store.find("session-1")).isNotNull();

		this.store.apply(new SessionRemoval("session-1", SessionRemoval.Reason.INVALIDATED));
		this.store.apply(delta("session-1", "node-c", T0.plusSeconds(1), set("user", 2, "node-c", "bob")));

		assertThat(this.store.find("session-1")).isNull();
		assertThat(this.store.size()).isZero();
	}

	@Test
	void deltaThatArrivesAfterTheRemovalOfAnUnknownSessionDoesNotCreateIt() {
		this.store.apply(new SessionRemoval("session-1", SessionRemoval.Reason.INVALIDATED));

		this.store.apply(delta("session-1", "node-b", T0, set("user", 1, "node-b", "alice")));

		assertThat(this.store.find("session-1")).isNull();
	}

	@Test
	void localChangeOfARemovedSessionDoesNotResurrectIt() {
		assertThat(this.store.commit(created("session-1", T0))).isNotNull();
		this.store.remove("session-1", SessionRemoval.Reason.INVALIDATED, true);

		SessionDelta delta = this.store.commit(new LocalChange("session-1", null, false, T0, T0.plusSeconds(1), TIMEOUT,
				Map.of("user", SessionEntryTests.value("late")), null));

		assertThat(delta).isNull();
		assertThat(this.store.find("session-1")).isNull();
	}

	@Test
	void removeReportsWhetherTheSessionWasHeld() {
		this.store.commit(created("session-1", T0));

		assertThat(this.store.remove("session-1", SessionRemoval.Reason.INVALIDATED, true)).isTrue();
		assertThat(this.store.remove("session-1", SessionRemoval.Reason.INVALIDATED, true)).isFalse();
		assertThat(this.store.remove("session-2", SessionRemoval.Reason.INVALIDATED, true)).isFalse();
	}

	@Test
	void renameFromTheClusterMovesTheAttributes() {
		this.store.apply(delta("session-1", "node-b", T0, set("user", 1, "node-b", "alice"),
				set("cart", 1, "node-b", "3 items")));

		this.store.apply(new SessionDelta("session-2", "session-1", T0, TIMEOUT, ChangeStamp.INITIAL, T0.plusSeconds(1),
				"node-b", List.of(set("counter", 1, "node-b", "1"))));

		assertThat(this.store.find("session-1")).isNull();
		assertThat(attributes("session-2")).containsExactly(Map.entry("cart", "3 items"), Map.entry("counter", "1"),
				Map.entry("user", "alice"));
		assertThat(this.store.size()).isOne();
	}

	@Test
	void renameFromTheClusterKeepsThePreviousIdRemoved() {
		this.store.apply(delta("session-1", "node-b", T0, set("user", 1, "node-b", "alice")));
		this.store.apply(new SessionDelta("session-2", "session-1", T0, TIMEOUT, ChangeStamp.INITIAL, T0.plusSeconds(1),
				"node-b", List.of()));

		this.store.apply(delta("session-1", "node-c", T0.plusSeconds(2), set("user", 2, "node-c", "late")));

		assertThat(this.store.find("session-1")).isNull();
		assertThat(attributes("session-2")).containsExactly(Map.entry("user", "alice"));
	}

	@Test
	void localRenameMovesTheAttributesAndTravelsWithThePreviousId() {
		this.store.commit(new LocalChange("session-1", null, true, T0, T0, TIMEOUT,
				Map.of("user", SessionEntryTests.value("alice")), null));
		SessionStore other = new SessionStore("node-b");
		this.store.exportSessions(other::apply);

		SessionDelta delta = this.store
			.commit(new LocalChange("session-2", "session-1", false, T0, T0.plusSeconds(1), TIMEOUT, Map.of(), null));

		assertThat(delta).isNotNull();
		assertThat(delta.sessionId()).isEqualTo("session-2");
		assertThat(delta.previousId()).isEqualTo("session-1");
		assertThat(this.store.find("session-1")).isNull();
		assertThat(attributes("session-2")).containsExactly(Map.entry("user", "alice"));
		other.apply(delta);
		assertThat(other.find("session-1")).isNull();
		assertThat(other.find("session-2").attributes()).containsOnlyKeys("user");
	}

	@Test
	void removeExpiredAnnouncesOnlySessionsLastAccessedHere() {
		this.store.commit(created("here", T0));
		this.store.apply(delta("there", "node-b", T0));

		SessionStore.Sweep atTimeout = this.store.removeExpired(T0.plus(TIMEOUT), GONE);

		assertThat(atTimeout.announced()).containsExactly(new SessionRemoval("here", SessionRemoval.Reason.EXPIRED));
		assertThat(this.store.find("here")).isNull();
		assertThat(this.store.find("there")).isNotNull();

		SessionStore.Sweep aQuarterLater = this.store.removeExpired(OVERDUE, GONE);

		assertThat(aQuarterLater.announced()).isEmpty();
		assertThat(aQuarterLater.unconfirmed()).isEmpty();
		assertThat(this.store.size()).isZero();
	}

	@Test
	void removeExpiredKeepsAnOverdueCopyWhileTheMemberOfTheLatestAccessIsInTheViewAndListsIt() {
		this.store.apply(delta("there", "node-b", T0));
		this.store.apply(delta("later", "node-b", T0.plusSeconds(1)));

		SessionStore.Sweep sweep = this.store.removeExpired(OVERDUE, (member) -> true);

		assertThat(sweep.announced()).isEmpty();
		assertThat(sweep.unconfirmed()).containsExactly("there");
		assertThat(this.store.size()).isEqualTo(2);
	}

	@Test
	void removeExpiredKeepsSessionsThatHaveNotExpired() {
		this.store.commit(created("session-1", T0));
		this.store.apply(delta("session-2", "node-b", T0.plusSeconds(60)));

		SessionStore.Sweep sweep = this.store.removeExpired(T0.plus(TIMEOUT).minusMillis(1), GONE);

		assertThat(sweep.announced()).isEmpty();
		assertThat(sweep.unconfirmed()).isEmpty();
		assertThat(this.store.size()).isEqualTo(2);
	}

	@Test
	void livenessIsTheLatestAccessUntilTheTimeoutThenTheExpiry() {
		this.store.commit(created("session-1", T0));
		SessionRemoval expired = new SessionRemoval("session-1", SessionRemoval.Reason.EXPIRED);

		this.store.setClock(Clock.fixed(T0.plus(TIMEOUT).minusMillis(1), ZoneOffset.UTC));
		assertThat(this.store.liveness("session-1")).isInstanceOfSatisfying(SessionDelta.class, (access) -> {
			assertThat(access.lastAccessedTime()).isEqualTo(T0);
			assertThat(access.lastAccessedBy()).isEqualTo("node-a");
		});
		this.store.setClock(Clock.fixed(T0.plus(TIMEOUT), ZoneOffset.UTC));
		assertThat(this.store.liveness("session-1")).isEqualTo(expired);
		assertThat(this.store.find("session-1")).as("left to the sweep, which tells the others").isNotNull();
		assertThat(this.store.liveness("session-2"))
			.isEqualTo(new SessionRemoval("session-2", SessionRemoval.Reason.EXPIRED));
	}

	@Test
	void overdueCopyRepairsNoOtherCopy() {
		this.store.apply(delta("session-1", "node-b", T0));

		this.store.setClock(Clock.fixed(OVERDUE.minusMillis(1), ZoneOffset.UTC));
		assertThat(this.store.repairCopy("session-1")).isNotNull();
		this.store.setClock(Clock.fixed(OVERDUE, ZoneOffset.UTC));
		assertThat(this.store.repairCopy("session-1")).isNull();
		assertThat(this.store.repairCopy("session-2")).isNull();
	}

	@Test
	void expiredSessionIsNotResurrectedByALateDelta() {
		this.store.apply(delta("session-1", "node-b", T0));
		this.store.removeExpired(OVERDUE, GONE);

		this.store.apply(delta("session-1", "node-b", T0.plusSeconds(1), set("user", 1, "node-b", "late")));

		assertThat(this.store.find("session-1")).isNull();
	}

	@Test
	void removalOfAnUnknownSessionIsForgottenAfterTheMinimumMemory() {
		this.store.apply(new SessionRemoval("session-1", SessionRemoval.Reason.INVALIDATED));
		assertThat(remembered()).containsExactly("session-1");

		this.store.removeExpired(Instant.now().plus(SessionStore.DEFAULT_MIN_REMOVAL_MEMORY).minusSeconds(5), GONE);
		assertThat(remembered()).containsExactly("session-1");
		this.store.removeExpired(Instant.now().plus(SessionStore.DEFAULT_MIN_REMOVAL_MEMORY).plusSeconds(1), GONE);
		assertThat(remembered()).isEmpty();
	}

	@Test
	void removalOfAnUnknownSessionIsRememberedAsLongAsItsSenderRemembersIt() {
		Instant senderForgetsAt = Instant.now().plus(SessionStore.DEFAULT_MIN_REMOVAL_MEMORY).plus(TIMEOUT);
		this.store.apply(new SessionRemoval("session-1", SessionRemoval.Reason.RESENT, senderForgetsAt));

		this.store.removeExpired(senderForgetsAt.minusSeconds(5), GONE);
		assertThat(remembered()).containsExactly("session-1");
		assertThat(this.store.rememberedRemoval("session-1"))
			.isEqualTo(new SessionRemoval("session-1", SessionRemoval.Reason.RESENT, senderForgetsAt));
		this.store.apply(delta("session-1", "node-b", T0, set("user", 1, "node-b", "stale")));
		assertThat(this.store.find("session-1")).isNull();
		this.store.removeExpired(senderForgetsAt.plusSeconds(1), GONE);
		assertThat(remembered()).isEmpty();
	}

	@Test
	void removalThatItsSenderRemembersForLessThanTheMinimumMemoryIsRememberedForTheMinimum() {
		this.store.apply(new SessionRemoval("session-1", SessionRemoval.Reason.RESENT, Instant.now()));

		this.store.removeExpired(Instant.now().plus(SessionStore.DEFAULT_MIN_REMOVAL_MEMORY).minusSeconds(5), GONE);
		assertThat(remembered()).containsExactly("session-1");
	}

	@Test
	void removalsAreExportedWithHowLongThisMemberRemembersThem() {
		Instant lastAccess = Instant.now();
		this.store.apply(delta("session-1", "node-b", lastAccess, set("user", 1, "node-b", "alice")));
		this.store.apply(new SessionRemoval("session-1", SessionRemoval.Reason.INVALIDATED));

		List<SessionRemoval> exported = new ArrayList<>();
		this.store.exportRemovals(exported::add);

		assertThat(exported).containsExactly(new SessionRemoval("session-1", SessionRemoval.Reason.RESENT,
				lastAccess.plus(TIMEOUT).plus(TIMEOUT.dividedBy(4))));
	}

	@Test
	void removalIsRememberedUntilTheSessionWouldHaveExpiredOnEveryCopy() {
		Instant lastAccess = Instant.now();
		this.store.apply(delta("session-1", "node-b", lastAccess, set("user", 1, "node-b", "alice")));
		this.store.apply(new SessionRemoval("session-1", SessionRemoval.Reason.INVALIDATED));
		// the timeout, and the quarter of it by which a copy may lag the last access
		Instant wouldHaveExpired = lastAccess.plus(TIMEOUT).plus(TIMEOUT.dividedBy(4));

		this.store.removeExpired(wouldHaveExpired.minusSeconds(5), GONE);
		assertThat(remembered()).containsExactly("session-1");
		this.store.apply(delta("session-1", "node-c", lastAccess.plusSeconds(1), set("user", 2, "node-c", "bob")));
		assertThat(this.store.find("session-1")).isNull();
		this.store.removeExpired(wouldHaveExpired.plusSeconds(1), GONE);
		assertThat(remembered()).isEmpty();
	}

	@Test
	void removalOfASessionThatNeverExpiresIsRememberedAndAtTheLimitTheRemovalsDueFirstGo() {
		this.store.setMaxRemovals(2);
		this.store.apply(new SessionDelta("session-1", null, T0, Duration.ofSeconds(-1), ChangeStamp.INITIAL, T0,
				"node-b", List.of()));
		this.store.apply(new SessionRemoval("session-1", SessionRemoval.Reason.INVALIDATED));

		this.store.removeExpired(Instant.now().plus(Duration.ofDays(3650)), GONE);
		assertThat(remembered()).containsExactly("session-1");
		this.store.apply(new SessionRemoval("session-2", SessionRemoval.Reason.INVALIDATED));
		this.store.apply(new SessionRemoval("session-3", SessionRemoval.Reason.INVALIDATED));
		assertThat(remembered()).contains("session-1").hasSize(2);
		assertThat(this.store.removalsForgottenEarly()).isOne();
	}

	private List<String> remembered() {
		List<String> ids = new ArrayList<>();
		this.store.exportRemovals((removal) -> ids.add(removal.sessionId()));
		return ids;
	}

	@Test
	void removalsBeyondTheLimitForgetTheOldestFirstAndCountThem() throws InterruptedException {
		this.store.setMaxRemovals(10);
		for (int i = 0; i <= 10; i++) {
			this.store.apply(new SessionRemoval("session-" + i, SessionRemoval.Reason.INVALIDATED));
			// distinct removal times, so that the oldest are known
			Thread.sleep(2);
		}
		for (int i = 0; i < 100; i++) {
			this.store.apply(new SessionRemoval("session-10", SessionRemoval.Reason.RESENT));
		}

		List<SessionRemoval> remembered = new ArrayList<>();
		this.store.exportRemovals(remembered::add);
		assertThat(remembered).extracting(SessionRemoval::sessionId)
			.containsExactlyInAnyOrder("session-2", "session-3", "session-4", "session-5", "session-6", "session-7",
					"session-8", "session-9", "session-10");
		assertThat(this.store.removalsRemembered()).isEqualTo(9);
		assertThat(this.store.removalsForgottenEarly()).isEqualTo(2);
		this.store.apply(delta("session-5", "node-b", T0, set("user", 1, "node-b", "alice")));
		assertThat(this.store.find("session-5")).isNull();
	}

	@Test
	void discardIfDropsOnlyCopiesUnchangedSinceTheInstantThatItDoesNotKeep() {
		Instant beforeTheChanges = Instant.now().minusSeconds(1);
		this.store.apply(delta("session-1", "node-b", T0, set("user", 1, "node-b", "alice")));
		this.store.commit(created("session-2", T0));
		this.store.apply(delta("session-3", "node-b", T0, set("user", 1, "node-b", "bob")));
		Instant afterTheChanges = Instant.now().plusSeconds(1);

		assertThat(this.store.discardIf((id) -> false, beforeTheChanges)).isZero();
		assertThat(this.store.discardIf((id) -> id.equals("session-3"), afterTheChanges)).isEqualTo(2);

		assertThat(this.store.find("session-1")).isNull();
		assertThat(this.store.find("session-2")).isNull();
		assertThat(this.store.find("session-3")).isNotNull();
	}

	@Test
	void exportedSessionsRecreateEveryCopyElsewhere() {
		this.store.commit(new LocalChange("session-1", null, true, T0, T0, TIMEOUT,
				Map.of("user", SessionEntryTests.value("alice")), null));
		this.store.apply(delta("session-2", "node-b", T0, set("cart", 1, "node-b", "3 items")));
		SessionStore joiner = new SessionStore("node-c");

		this.store.exportSessions(joiner::apply);

		assertThat(joiner.size()).isEqualTo(2);
		assertThat(joiner.find("session-1").attributes()).containsOnlyKeys("user");
		assertThat(joiner.find("session-2").attributes()).containsOnlyKeys("cart");
		assertThat(joiner.find("session-1").creationTime()).isEqualTo(T0);
	}

	private Map<String, String> attributes(String id) {
		SessionSnapshot snapshot = this.store.find(id);
		assertThat(snapshot).as("session %s", id).isNotNull();
		Map<String, String> attributes = new TreeMap<>();
		snapshot.attributes()
			.forEach((name, value) -> attributes.put(name, new String(value.bytes(), StandardCharsets.UTF_8)));
		return attributes;
	}

	private static LocalChange created(String id, Instant at) {
		return new LocalChange(id, null, true, at, at, TIMEOUT, Map.of(), null);
	}

	private static SessionDelta delta(String id, String accessedBy, Instant accessedAt, AttributeChange... attributes) {
		return new SessionDelta(id, null, T0, TIMEOUT, ChangeStamp.INITIAL, accessedAt, accessedBy,
				List.of(attributes));
	}

	private static AttributeChange set(String name, long version, String origin, String value) {
		return SessionEntryTests.set(name, version, origin, value);
	}

}
