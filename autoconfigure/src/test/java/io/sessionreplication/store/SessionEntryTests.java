package io.sessionreplication.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.sessionreplication.wire.AttributeChange;
import io.sessionreplication.wire.AttributeValue;
import io.sessionreplication.wire.ChangeStamp;
import io.sessionreplication.wire.Coverage;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionIndexes;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionEntry}: how one copy of a session merges changes from any
 * member, what it sends, and when it expires.
 */
class SessionEntryTests {

	private static final String ID = "session-1";

	private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

	private static final Duration TIMEOUT = Duration.ofMinutes(20);

	@Test
	void mergeIsOrderIndependent() {
		List<SessionDelta> deltas = List.of(
				delta("node-a", T0.plusSeconds(60), set("color", 1, "node-a", "red"), set("size", 1, "node-a", "S")),
				delta("node-b", T0.plusSeconds(120), set("color", 2, "node-b", "blue"), removal("size", 2, "node-b")),
				delta("node-a", T0.plusSeconds(180), set("color", 2, "node-a", "green"), set("size", 3, "node-a", "L")),
				new SessionDelta(ID, null, T0, Duration.ofMinutes(30), new ChangeStamp(1, "node-c"),
						T0.plusSeconds(150), "node-c", List.of(removal("extra", 1, "node-c"))),
				new SessionDelta(ID, null, T0, Duration.ofMinutes(40), new ChangeStamp(1, "node-b"),
						T0.plusSeconds(180), "node-b", List.of(set("extra", 2, "node-b", "x"))),
				// the same change delivered twice
				delta("node-a", T0.plusSeconds(60), set("color", 1, "node-a", "red")));

		Set<State> states = new HashSet<>();
		for (List<SessionDelta> order : permutations(deltas)) {
			SessionEntry entry = SessionEntry.of(order.get(0));
			order.subList(1, order.size()).forEach(entry::merge);
			states.add(State.of(entry));
		}

		assertThat(states).hasSize(1);
		State state = states.iterator().next();
		assertThat(state.attributes()).containsExactly(Map.entry("color", "blue@2/node-b"),
				Map.entry("extra", "x@2/node-b"), Map.entry("size", "L@3/node-a"));
		assertThat(state.maxInactiveInterval()).isEqualTo(Duration.ofMinutes(30));
		assertThat(state.maxInactiveStamp()).isEqualTo(new ChangeStamp(1, "node-c"));
		assertThat(state.lastAccessedTime()).isEqualTo(T0.plusSeconds(180));
		assertThat(state.lastAccessedBy()).isEqualTo("node-b");
		assertThat(state.removals()).isEmpty();
	}

	@Test
	void higherStampWins() {
		SessionDelta older = delta("node-a", T0, set("user", 1, "node-a", "alice"));
		SessionDelta newer = delta("node-a", T0, set("user", 2, "node-a", "bob"));

		assertThat(attributes(merged(older, newer))).containsExactly(Map.entry("user", "bob"));
		assertThat(attributes(merged(newer, older))).containsExactly(Map.entry("user", "bob"));
	}

	@Test
	void equalVersionsAreOrderedByOrigin() {
		SessionDelta fromA = delta("node-a", T0, set("user", 3, "node-a", "alice"));
		SessionDelta fromB = delta("node-b", T0, set("user", 3, "node-b", "bob"));

		assertThat(attributes(merged(fromA, fromB))).containsExactly(Map.entry("user", "bob"));
		assertThat(attributes(merged(fromB, fromA))).containsExactly(Map.entry("user", "bob"));
	}

	@Test
	void removalBeatsAnOlderValue() {
		SessionDelta value = delta("node-a", T0, set("cart", 1, "node-a", "3 items"), set("user", 1, "node-a", "a"));
		SessionDelta removal = delta("node-b", T0, removal("cart", 2, "node-b"));

		assertThat(attributes(merged(value, removal))).containsOnlyKeys("user");
		assertThat(attributes(merged(removal, value))).containsOnlyKeys("user");
	}

	@Test
	void removalLosesToANewerValue() {
		SessionDelta removal = delta("node-b", T0, removal("cart", 2, "node-b"));
		SessionDelta newer = delta("node-a", T0, set("cart", 3, "node-a", "1 item"));

		assertThat(attributes(merged(removal, newer))).containsExactly(Map.entry("cart", "1 item"));
		assertThat(attributes(merged(newer, removal))).containsExactly(Map.entry("cart", "1 item"));
	}

	@Test
	void removalIsKeptAndTravelsWithTheWholeSession() {
		SessionEntry entry = merged(delta("node-a", T0, set("cart", 1, "node-a", "3 items")),
				delta("node-b", T0, removal("cart", 2, "node-b")));

		assertThat(entry.toDelta(ID).attributes()).singleElement().satisfies((change) -> {
			assertThat(change.isRemoval()).isTrue();
			assertThat(change.stamp()).isEqualTo(new ChangeStamp(2, "node-b"));
		});
	}

	@Test
	void maxInactiveIntervalIsVersioned() {
		SessionDelta changed = new SessionDelta(ID, null, T0, Duration.ofMinutes(5), new ChangeStamp(1, "node-b"), T0,
				"node-b", List.of());
		SessionDelta stale = new SessionDelta(ID, null, T0, Duration.ofMinutes(60), ChangeStamp.INITIAL,
				T0.plusSeconds(10), "node-a", List.of());

		assertThat(merged(changed, stale).snapshot("node-a").maxInactiveInterval()).isEqualTo(Duration.ofMinutes(5));
		assertThat(merged(stale, changed).snapshot("node-a").maxInactiveInterval()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void localChangeOfTheMaxInactiveIntervalIsStamped() {
		SessionEntry entry = SessionEntry.of(delta("node-b", T0));
		entry.merge(new SessionDelta(ID, null, T0, TIMEOUT, new ChangeStamp(4, "node-b"), T0, "node-b", List.of()));

		SessionDelta delta = entry.commit(
				new LocalChange(ID, null, false, T0, T0.plusSeconds(1), Duration.ofMinutes(90), Map.of(), null),
				"node-a");

		assertThat(delta).isNotNull();
		assertThat(delta.maxInactiveInterval()).isEqualTo(Duration.ofMinutes(90));
		assertThat(delta.maxInactiveStamp().origin()).isEqualTo("node-a");
		assertThat(delta.maxInactiveStamp().isAfter(new ChangeStamp(4, "node-b"))).isTrue();
	}

	@Test
	void localChangeOfAnAttributeIsStampedAboveTheStampHeld() {
		long ahead = (System.currentTimeMillis() + 60_000) << ChangeStamp.LOGICAL_BITS;
		SessionEntry entry = SessionEntry.of(delta("node-b", T0, set("user", ahead, "node-b", "alice")));

		SessionDelta delta = entry.commit(change(T0.plusSeconds(1), Map.of("user", value("bob"))), "node-a");

		assertThat(delta.attributes()).singleElement()
			.satisfies((change) -> assertThat(change.stamp()).isEqualTo(new ChangeStamp(ahead + 1, "node-a")));
		assertThat(attributes(entry)).containsExactly(Map.entry("user", "bob"));
	}

	@Test
	void laterAccessWins() {
		SessionDelta earlier = delta("node-a", T0.plusSeconds(10));
		SessionDelta later = delta("node-b", T0.plusSeconds(20));

		for (SessionEntry entry : List.of(merged(earlier, later), merged(later, earlier))) {
			SessionSnapshot snapshot = entry.snapshot("node-b");
			assertThat(snapshot.lastAccessedTime()).isEqualTo(T0.plusSeconds(20));
			assertThat(snapshot.lastAccessedHere()).isTrue();
			assertThat(entry.isLastAccessedBy("node-a")).isFalse();
		}
	}

	@Test
	void simultaneousAccessesAreOrderedByMember() {
		SessionDelta onA = delta("node-a", T0.plusSeconds(10));
		SessionDelta onB = delta("node-b", T0.plusSeconds(10));

		assertThat(merged(onA, onB).isLastAccessedBy("node-b")).isTrue();
		assertThat(merged(onB, onA).isLastAccessedBy("node-b")).isTrue();
	}

	@Test
	void commitOfANewSessionReturnsTheWholeSession() {
		LocalChange created = new LocalChange(ID, null, true, T0, T0, TIMEOUT, Map.of("user", value("alice")), null);
		SessionEntry entry = SessionEntry.ofNew(created, "node-a");

		SessionDelta delta = entry.commit(created, "node-a");

		assertThat(delta).isNotNull();
		assertThat(delta.sessionId()).isEqualTo(ID);
		assertThat(delta.creationTime()).isEqualTo(T0);
		assertThat(delta.maxInactiveInterval()).isEqualTo(TIMEOUT);
		assertThat(delta.lastAccessedBy()).isEqualTo("node-a");
		assertThat(delta.attributes()).extracting(AttributeChange::name).containsExactly("user");
	}

	@Test
	void commitOfAnUnchangedSessionReturnsNullUntilTheAccessIsDue() {
		SessionEntry entry = created("node-a");
		Duration interval = SessionEntry.accessReplicationInterval(TIMEOUT);
		assertThat(interval).isEqualTo(TIMEOUT.dividedBy(4));

		assertThat(entry.commit(access(T0.plusSeconds(1)), "node-a")).isNull();
		assertThat(entry.commit(access(T0.plus(interval).minusMillis(1)), "node-a")).isNull();
		SessionDelta due = entry.commit(access(T0.plus(interval)), "node-a");
		assertThat(entry.commit(access(T0.plus(interval).plusSeconds(1)), "node-a")).isNull();

		assertThat(due).isNotNull();
		assertThat(due.attributes()).isEmpty();
		assertThat(due.lastAccessedTime()).isEqualTo(T0.plus(interval));
		assertThat(due.lastAccessedBy()).isEqualTo("node-a");
	}

	@Test
	void commitOfAnUnchangedSessionLastAccessedOnAnotherMemberReturnsADeltaAtOnce() {
		SessionEntry entry = created("node-a");
		entry.merge(delta("node-b", T0.plusSeconds(5)));

		SessionDelta delta = entry.commit(access(T0.plusSeconds(6)), "node-a");

		assertThat(delta).isNotNull();
		assertThat(delta.lastAccessedTime()).isEqualTo(T0.plusSeconds(6));
		assertThat(delta.lastAccessedBy()).isEqualTo("node-a");
		assertThat(entry.commit(access(T0.plusSeconds(7)), "node-a")).isNull();
	}

	@Test
	void accessIntervalCountsFromTheLastReplicatedAccess() {
		SessionEntry entry = created("node-a");
		Duration interval = SessionEntry.accessReplicationInterval(TIMEOUT);
		entry.merge(delta("node-b", T0.plus(interval)));
		entry.commit(access(T0.plus(interval).plusSeconds(1)), "node-a");

		assertThat(entry.commit(access(T0.plus(interval).plus(interval).minusSeconds(1)), "node-a")).isNull();
		assertThat(entry.commit(access(T0.plus(interval).plus(interval).plusSeconds(1)), "node-a")).isNotNull();
	}

	@Test
	void copiesThatMergedTheSameChangesInAnyOrderHaveEqualDigests() {
		SessionDelta first = delta("node-a", T0.plusSeconds(60), set("color", 1, "node-a", "red"));
		SessionDelta second = delta("node-b", T0.plusSeconds(120), set("color", 2, "node-b", "blue"),
				removal("size", 1, "node-b"));

		assertThat(merged(first, second).digest()).isEqualTo(merged(second, first).digest())
			.isEqualTo(merged(first, second, first).digest());
	}

	@Test
	void everyChangeOfAStampOrOfTheReplicatedAccessChangesTheDigest() {
		SessionDelta base = delta("node-a", T0, set("color", 1, "node-a", "red"), removal("size", 1, "node-a"));
		List<SessionDelta> changes = List.of(delta("node-a", T0, set("color", 2, "node-a", "red")),
				delta("node-a", T0, set("color", 1, "node-b", "red")),
				delta("node-a", T0, set("other", 1, "node-a", "x")), delta("node-a", T0, set("size", 2, "node-a", "L")),
				new SessionDelta(ID, null, T0, TIMEOUT, new ChangeStamp(1, "node-a"), T0, "node-a", List.of()),
				new SessionDelta(ID, null, T0, TIMEOUT, ChangeStamp.INITIAL, T0, "node-a", List.of(),
						new SessionIndexes(Map.of("principal", "alice"), new ChangeStamp(1, "node-a")),
						Coverage.CHANGES, false),
				delta("node-b", T0.plusMillis(1)));
		Set<Long> digests = new HashSet<>();
		digests.add(merged(base).digest());
		for (SessionDelta change : changes) {
			digests.add(merged(base, change).digest());
		}

		assertThat(digests).hasSize(changes.size() + 1);
	}

	@Test
	void anAccessNotReplicatedYetLeavesTheDigestAsItIsUntilACopyCarriesIt() {
		SessionEntry entry = created("node-a");
		long digest = entry.digest();

		assertThat(entry.commit(access(T0.plusSeconds(1)), "node-a")).isNull();
		assertThat(entry.digest()).isEqualTo(digest);

		SessionDelta repair = entry.toRepairDelta(ID);
		assertThat(repair.lastAccessedTime()).isEqualTo(T0.plusSeconds(1));
		assertThat(entry.digest()).isNotEqualTo(digest).isEqualTo(SessionEntry.of(repair).digest());
	}

	@Test
	void sessionExpiresAtTheLatestAccessKnownPlusItsTimeoutOnEveryMember() {
		SessionEntry entry = SessionEntry.of(delta("node-a", T0));

		assertThat(entry.isExpired(T0.plus(TIMEOUT).minusMillis(1))).isFalse();
		assertThat(entry.isExpired(T0.plus(TIMEOUT))).isTrue();
		assertThat(entry.snapshot("node-a").expiresAt()).isEqualTo(T0.plus(TIMEOUT));
		assertThat(entry.snapshot("node-a").lastAccessedHere()).isTrue();
		assertThat(entry.snapshot("node-b").expiresAt()).isEqualTo(T0.plus(TIMEOUT));
		assertThat(entry.snapshot("node-b").lastAccessedHere()).isFalse();
	}

	@Test
	void copyIsOverdueAQuarterOfItsTimeoutAfterItExpires() {
		SessionEntry entry = SessionEntry.of(delta("node-a", T0));
		Instant overdueAt = T0.plus(TIMEOUT).plus(TIMEOUT.dividedBy(4));

		assertThat(entry.isOverdue(overdueAt.minusMillis(1))).isFalse();
		assertThat(entry.isOverdue(overdueAt)).isTrue();
	}

	@Test
	void sessionWithANegativeTimeoutNeverExpires() {
		SessionEntry entry = SessionEntry.of(new SessionDelta(ID, null, T0, Duration.ofSeconds(-1),
				new ChangeStamp(1, "node-a"), T0, "node-a", List.of()));

		assertThat(entry.isExpired(T0.plus(Duration.ofDays(100_000)))).isFalse();
		assertThat(entry.isOverdue(T0.plus(Duration.ofDays(100_000)))).isFalse();
	}

	@Test
	void latestAccessTravelsWithoutAttributes() {
		SessionEntry entry = merged(delta("node-a", T0, set("user", 1, "node-a", "alice")),
				delta("node-b", T0.plusSeconds(5)));

		SessionDelta access = entry.toAccess(ID);

		assertThat(access.attributes()).isEmpty();
		assertThat(access.coverage()).isEqualTo(Coverage.CHANGES);
		assertThat(access.lastAccessedTime()).isEqualTo(T0.plusSeconds(5));
		assertThat(access.lastAccessedBy()).isEqualTo("node-b");
		assertThat(access.maxInactiveInterval()).isEqualTo(TIMEOUT);
	}

	private static SessionEntry created(String member) {
		LocalChange created = new LocalChange(ID, null, true, T0, T0, TIMEOUT, Map.of(), null);
		SessionEntry entry = SessionEntry.ofNew(created, member);
		assertThat(entry.commit(created, member)).isNotNull();
		return entry;
	}

	private static SessionEntry merged(SessionDelta first, SessionDelta... others) {
		SessionEntry entry = SessionEntry.of(first);
		for (SessionDelta other : others) {
			entry.merge(other);
		}
		return entry;
	}

	static LocalChange access(Instant at) {
		return change(at, Map.of());
	}

	static LocalChange change(Instant at, Map<String, @Nullable AttributeValue> attributes) {
		return new LocalChange(ID, null, false, T0, at, TIMEOUT, new HashMap<>(attributes), null);
	}

	static SessionDelta delta(String accessedBy, Instant accessedAt, AttributeChange... attributes) {
		return new SessionDelta(ID, null, T0, TIMEOUT, ChangeStamp.INITIAL, accessedAt, accessedBy,
				List.of(attributes));
	}

	static AttributeChange set(String name, long version, String origin, String value) {
		return new AttributeChange(name, new ChangeStamp(version, origin), value(value));
	}

	static AttributeChange removal(String name, long version, String origin) {
		return new AttributeChange(name, new ChangeStamp(version, origin), null);
	}

	static AttributeValue value(String value) {
		return AttributeValue.ofBytes(value.getBytes(StandardCharsets.UTF_8));
	}

	/** The attribute values a request on this copy sees, as strings. */
	static Map<String, String> attributes(SessionEntry entry) {
		Map<String, String> attributes = new TreeMap<>();
		entry.snapshot("node-x")
			.attributes()
			.forEach((name, value) -> attributes.put(name, new String(value.bytes(), StandardCharsets.UTF_8)));
		return attributes;
	}

	private static <T> List<List<T>> permutations(List<T> items) {
		if (items.isEmpty()) {
			return List.of(List.of());
		}
		List<List<T>> permutations = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			List<T> rest = new ArrayList<>(items);
			T first = rest.remove(i);
			for (List<T> permutation : permutations(rest)) {
				List<T> order = new ArrayList<>();
				order.add(first);
				order.addAll(permutation);
				permutations.add(order);
			}
		}
		return permutations;
	}

	/**
	 * Everything a copy holds, in a form that compares by value.
	 */
	record State(Instant creationTime, Duration maxInactiveInterval, ChangeStamp maxInactiveStamp,
			Instant lastAccessedTime, String lastAccessedBy, Map<String, String> attributes,
			Map<String, String> removals, Instant expiresAt) {

		static State of(SessionEntry entry) {
			SessionDelta whole = entry.toDelta(ID);
			Map<String, String> attributes = new TreeMap<>();
			for (AttributeChange change : whole.attributes()) {
				if (!change.isRemoval()) {
					attributes.put(change.name(), new String(change.value().bytes(), StandardCharsets.UTF_8) + "@"
							+ change.stamp().version() + "/" + change.stamp().origin());
				}
			}
			Map<String, String> removals = new TreeMap<>();
			whole.attributes()
				.stream()
				.filter(AttributeChange::isRemoval)
				.forEach((change) -> removals.put(change.name(), String.valueOf(change.stamp())));
			assertThat(entry.snapshot("node-a").attributes()).containsOnlyKeys(attributes.keySet());
			return new State(whole.creationTime(), whole.maxInactiveInterval(), whole.maxInactiveStamp(),
					whole.lastAccessedTime(), whole.lastAccessedBy(), attributes, removals,
					entry.snapshot("node-a").expiresAt());
		}

	}

}
