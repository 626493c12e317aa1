package io.sessionreplication.session;

import java.io.Serializable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.replication.ReplicationObserver;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import io.sessionreplication.wire.AttributeChange;
import io.sessionreplication.wire.SessionDelta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.session.FlushMode;
import org.springframework.session.SaveMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests of the save modes and flush modes on two real members: a value changed in place,
 * without {@code setAttribute}, reaches the other member under
 * {@link SaveMode#ON_GET_ATTRIBUTE} and {@link SaveMode#ALWAYS} and not under the
 * default, immutable values are not serialized again, and {@link FlushMode#IMMEDIATE}
 * sends each change at once.
 */
class SaveAndFlushModeTests {

	private TestCluster cluster;

	private Member a;

	private Member b;

	@BeforeEach
	void startMembers() {
		this.cluster = new TestCluster(ReplicationMode.ALL_TO_ALL);
		this.a = this.cluster.start("node-1");
		this.b = this.cluster.start("node-2");
	}

	@AfterEach
	void closeCluster() {
		this.cluster.close();
	}

	@Test
	void valueChangedInPlaceStaysOnItsMemberUnderOnSetAttribute() {
		String id = this.a.createSession("cart", new ArrayList<>(List.of("book"))).getId();

		changeCartInPlace(id);

		assertThat(cartOn(this.a, id)).containsExactly("book", "pen");
		assertThat(cartOn(this.b, id)).containsExactly("book");
	}

	@Test
	void valueChangedInPlaceIsReplicatedUnderOnGetAttribute() {
		this.a.repository.setSaveMode(SaveMode.ON_GET_ATTRIBUTE);
		String id = this.a.createSession("cart", new ArrayList<>(List.of("book"))).getId();

		changeCartInPlace(id);

		assertThat(cartOn(this.b, id)).containsExactly("book", "pen");
	}

	@Test
	void valueChangedInPlaceAfterItWasSetIsReplicatedWithTheChangeUnderOnGetAttributeAndAlways() {
		for (SaveMode mode : List.of(SaveMode.ON_SET_ATTRIBUTE, SaveMode.ON_GET_ATTRIBUTE, SaveMode.ALWAYS)) {
			this.a.repository.setSaveMode(mode);
			ReplicatedSession session = this.a.repository.findById(this.a.createSession("note", "x").getId());
			List<String> cart = new ArrayList<>();
			session.setAttribute("cart", cart);
			cart.add("book");
			this.a.repository.save(session);

			assertThat(cartOn(this.b, session.getId())).as(mode.name())
				.isEqualTo((mode == SaveMode.ON_SET_ATTRIBUTE) ? List.of() : List.of("book"));
		}
	}

	@Test
	void valueChangedInPlaceWithoutAReadIsReplicatedUnderAlwaysOnly() {
		for (SaveMode mode : List.of(SaveMode.ON_GET_ATTRIBUTE, SaveMode.ALWAYS)) {
			this.a.repository.setSaveMode(mode);
			String id = this.a.createSession("cart", new ArrayList<>(List.of("book"))).getId();
			List<String> heldByTheApplication = cartOn(this.a, id);

			// a later request changes the value it kept a reference to, and reads nothing
			heldByTheApplication.add("pen");
			this.a.repository.save(this.a.repository.findById(id));

			assertThat(cartOn(this.b, id)).as(mode.name())
				.isEqualTo((mode == SaveMode.ALWAYS) ? List.of("book", "pen") : List.of("book"));
		}
	}

	@Test
	void immutableValuesReadAreNotSerializedAgainUnderOnGetAttribute() {
		this.a.repository.setSaveMode(SaveMode.ON_GET_ATTRIBUTE);
		this.a.repository.setImmutableTypes(ImmutableTypes.of(List.of(Label.class.getName())));
		String id = this.a
			.createSession("name", "alice", "count", 3, "key", UUID.randomUUID(), "since", Instant.now(), "unit",
					TimeUnit.SECONDS, "price", new Money(3), "label", new Label("gift"), "cart",
					new ArrayList<>(List.of("book")))
			.getId();
		AtomicInteger serialized = countSerializations(this.a);

		ReplicatedSession session = this.a.repository.findById(id);
		session.getAttributeNames().forEach(session::getAttribute);
		this.a.repository.save(session);

		assertThat(serialized).as("only the list is serialized again").hasValue(1);
	}

	@Test
	void valueReadButUnchangedIsNotSent() {
		this.a.repository.setSaveMode(SaveMode.ALWAYS);
		String id = this.a.createSession("cart", new ArrayList<>(List.of("book"))).getId();
		this.a.transport.clear();

		ReplicatedSession session = this.a.repository.findById(id);
		session.getAttribute("cart");
		session.setAttribute("note", "new");
		this.a.repository.save(session);

		assertThat(this.a.transport.sentMessages()).filteredOn(SessionDelta.class::isInstance)
			.singleElement()
			.satisfies((delta) -> assertThat(((SessionDelta) delta).attributes()).extracting(AttributeChange::name)
				.containsExactly("note"));
	}

	@Test
	void valueChangedInPlaceThatNoLongerSerializesFailsTheSaveNamingItAndTheRestIsSaved() {
		this.a.repository.setSaveMode(SaveMode.ON_GET_ATTRIBUTE);
		String id = this.a.createSession("cart", new ArrayList<Object>(List.of("book"))).getId();

		ReplicatedSession session = this.a.repository.findById(id);
		session.<List<Object>>getAttribute("cart").add(new Object());
		session.setAttribute("note", "kept");

		assertThatIllegalArgumentException().isThrownBy(() -> this.a.repository.save(session))
			.withMessageStartingWith(
					"Session attribute 'cart' changed in place, and the session was saved without " + "that change: ");
		ReplicatedSession onB = this.b.repository.findById(id);
		assertThat(onB.<String>getAttribute("note")).isEqualTo("kept");
		assertThat(onB.<List<Object>>getAttribute("cart")).containsExactly("book");
	}

	@Test
	void immediateFlushSendsEachChangeAtOnce() {
		this.a.repository.setFlushMode(FlushMode.IMMEDIATE);

		ReplicatedSession session = this.a.repository.createSession();
		assertThat(this.b.repository.findById(session.getId())).as("created").isNotNull();
		session.setAttribute("user", "alice");
		assertThat(this.b.repository.findById(session.getId()).<String>getAttribute("user")).isEqualTo("alice");
		session.removeAttribute("user");
		assertThat(this.b.repository.findById(session.getId()).<String>getAttribute("user")).isNull();
	}

	@Test
	void onSaveFlushSendsNothingBeforeTheSave() {
		ReplicatedSession session = this.a.repository.createSession();
		session.setAttribute("user", "alice");

		assertThat(this.b.repository.findById(session.getId())).isNull();
	}

	private void changeCartInPlace(String id) {
		ReplicatedSession session = this.a.repository.findById(id);
		session.<List<String>>getAttribute("cart").add("pen");
		this.a.repository.save(session);
	}

	private static List<String> cartOn(Member member, String id) {
		return member.repository.findById(id).getAttribute("cart");
	}

	private static AtomicInteger countSerializations(Member member) {
		AtomicInteger serialized = new AtomicInteger();
		member.statistics.addObserver(new ReplicationObserver() {
			@Override
			public void attributeSerialized(int bytes) {
				serialized.incrementAndGet();
			}
		});
		return serialized;
	}

	/** An annotation of the application's own, named as the save mode looks for. */
	@Retention(RetentionPolicy.RUNTIME)
	@interface Immutable {

	}

	@Immutable
	record Money(long cents) implements Serializable {
	}

	/** Mutable in form, declared immutable by the application's pattern. */
	static final class Label implements Serializable {

		String text;

		Label(String text) {
			this.text = text;
		}

	}

}
