package io.sessionreplication.replication;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests of {@link SessionOwnership}: the owners every member computes from a view.
 */
class SessionOwnershipTests {

	private static final List<String> FOUR = List.of("node-1", "node-2", "node-3", "node-4");

	private final List<String> ids = sessionIds(4000);

	@Test
	void ownersAreThePrimaryAndTheBackupsAllDifferentMembersOfTheView() {
		SessionOwnership ownership = new SessionOwnership(FOUR, 2);

		for (String id : this.ids) {
			assertThat(ownership.owners(id)).hasSize(3).doesNotHaveDuplicates().isSubsetOf(FOUR);
		}
	}

	/**
	 * The owners of a few ids, as every member of this version computes them: a change of
	 * the hashing would make members of different builds disagree on the owners.
	 */
	@Test
	void ownersOfGivenIdsDoNotChange() {
		SessionOwnership ownership = new SessionOwnership(FOUR, 2);

		assertThat(ownership.owners("session-1")).containsExactly("node-1", "node-2", "node-3");
		assertThat(ownership.owners("session-2")).containsExactly("node-2", "node-1", "node-3");
		assertThat(ownership.owners("session-3")).containsExactly("node-3", "node-1", "node-4");
		assertThat(ownership.owners("8d5f4c1e-1b7a-4a51-9c57-3f0e2a6b9d10")).containsExactly("node-4", "node-2",
				"node-1");
		assertThat(ownership.owners("s\u00e9ssion-\u4e2d")).containsExactly("node-3", "node-4", "node-1");
	}

	@Test
	void everyMemberComputesTheSameOwnersWhateverOrderItListsTheMembersIn() {
		List<String> shuffled = new ArrayList<>(FOUR);
		Collections.shuffle(shuffled);

		SessionOwnership one = new SessionOwnership(FOUR, 1);
		SessionOwnership other = new SessionOwnership(shuffled, 1);

		for (String id : this.ids) {
			assertThat(other.owners(id)).isEqualTo(one.owners(id));
		}
	}

	@Test
	void smallViewOwnsWithEveryMember() {
		assertThat(new SessionOwnership(List.of("node-1", "node-2"), 3).owners("session")).hasSize(2);
		assertThat(new SessionOwnership(List.of("node-1"), 1).owners("session")).containsExactly("node-1");
	}

	@Test
	void primariesAreSpreadEvenlyOverTheMembers() {
		SessionOwnership ownership = new SessionOwnership(FOUR, 1);
		Map<String, Integer> primaries = new HashMap<>();

		this.ids.forEach((id) -> primaries.merge(ownership.owners(id).get(0), 1, Integer::sum));

		// 1000 expected each; five standard deviations is about 140
		assertThat(primaries).hasSize(4).allSatisfy((member, count) -> assertThat(count).isBetween(850, 1150));
	}

	@Test
	void joiningMemberTakesOverOnlyTheSessionsItNowOwns() {
		SessionOwnership before = new SessionOwnership(FOUR, 1);
		List<String> five = new ArrayList<>(FOUR);
		five.add("node-5");
		SessionOwnership after = new SessionOwnership(five, 1);
		int moved = 0;

		for (String id : this.ids) {
			List<String> was = before.owners(id);
			List<String> now = after.owners(id);
			List<String> gained = now.stream().filter((owner) -> !was.contains(owner)).toList();
			assertThat(gained).as(id).isSubsetOf("node-5").hasSizeLessThanOrEqualTo(1);
			moved += gained.size();
		}

		// node-5 owns 2/5 of the sessions: 1600 expected
		assertThat(moved).isBetween(1400, 1800);
	}

	@Test
	void leavingMemberHandsEachOfItsSessionsToOneOtherMember() {
		SessionOwnership before = new SessionOwnership(FOUR, 1);
		SessionOwnership after = new SessionOwnership(List.of("node-1", "node-2", "node-4"), 1);

		for (String id : this.ids) {
			List<String> was = before.owners(id);
			List<String> now = after.owners(id);
			if (!was.contains("node-3")) {
				assertThat(now).as(id).isEqualTo(was);
			}
			else {
				assertThat(now).as(id)
					.contains(was.stream().filter((owner) -> !owner.equals("node-3")).toArray(String[]::new));
			}
		}
	}

	@Test
	void fingerprintTellsViewsApart() {
		assertThat(new SessionOwnership(FOUR, 1).fingerprint()).isEqualTo(new SessionOwnership(FOUR, 2).fingerprint())
			.isNotEqualTo(new SessionOwnership(FOUR.subList(0, 3), 1).fingerprint());
	}

	@Test
	void backupCountBelowOneIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SessionOwnership(FOUR, 0))
			.withMessageContaining("backupCount");
	}

	private static List<String> sessionIds(int count) {
		List<String> ids = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			ids.add(new UUID(i * 0x9E3779B97F4A7C15L, i).toString());
		}
		return ids;
	}

}
