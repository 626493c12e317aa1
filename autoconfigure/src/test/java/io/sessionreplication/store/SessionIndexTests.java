package io.sessionreplication.store;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionIndex}.
 */
class SessionIndexTests {

	private final SessionIndex index = new SessionIndex();

	@Test
	void sessionIsFoundByEachOfItsValues() {
		this.index.update("session-1", Map.of(), Map.of("principal", "alice", "tenant", "acme"));
		this.index.update("session-2", Map.of(), Map.of("principal", "alice"));

		assertThat(this.index.find("principal", "alice")).containsExactlyInAnyOrder("session-1", "session-2");
		assertThat(this.index.find("tenant", "acme")).containsExactly("session-1");
		assertThat(this.index.find("principal", "acme")).isEmpty();
	}

	@Test
	void changedValueMovesTheSession() {
		this.index.update("session-1", Map.of(), Map.of("principal", "alice"));

		this.index.update("session-1", Map.of("principal", "alice"), Map.of("principal", "bob"));

		assertThat(this.index.find("principal", "alice")).isEmpty();
		assertThat(this.index.find("principal", "bob")).containsExactly("session-1");
		assertThat(this.index.size()).isOne();
	}

	@Test
	void valueNoSessionHasTakesNoRoom() {
		this.index.update("session-1", Map.of(), Map.of("principal", "alice"));
		this.index.update("session-2", Map.of(), Map.of("principal", "alice"));

		this.index.update("session-1", Map.of("principal", "alice"), Map.of());
		this.index.update("session-2", Map.of("principal", "alice"), Map.of());

		assertThat(this.index.size()).isZero();
	}

	@Test
	void foundIdsAreTheCallersOwn() {
		this.index.update("session-1", Map.of(), Map.of("principal", "alice"));

		this.index.find("principal", "alice").add("session-9");

		assertThat(this.index.find("principal", "alice")).containsExactly("session-1");
	}

}
