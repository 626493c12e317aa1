package io.sessionreplication.autoconfigure;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.sessionreplication.store.SessionStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.session.events.SessionExpiredEvent;

import static io.sessionreplication.autoconfigure.MemberContexts.createSessions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The expiry sweep goes on when a listener of the expiry events fails with an error (a
 * {@link StackOverflowError}, as a listener that reads a hostile attribute may), instead
 * of ending for good as a scheduled task does on an error; and the expiry still reaches
 * the other member, whose own sweep here is an hour away.
 */
class ExpirySweepTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SessionReplicationAutoConfiguration.class, SessionAutoConfiguration.class))
		.withPropertyValues("session.replication.jgroups.config=classpath:test-stack.xml",
				"session.replication.cluster-name=sweep-" + UUID.randomUUID(), "spring.session.timeout=1s");

	@Test
	void aListenerThatThrowsAnErrorDoesNotEndTheSweepNorKeepTheExpiryFromTheOthers() {
		WebApplicationContextRunner sweeping = this.contextRunner.withUserConfiguration(OverflowingListener.class)
			.withPropertyValues("session.replication.cleanup-interval=200ms");
		WebApplicationContextRunner idle = this.contextRunner
			.withPropertyValues("session.replication.cleanup-interval=1h");
		sweeping.run((context) -> idle.run((other) -> {
			MemberContexts.awaitMembers(context, 2);
			SessionStore store = context.getBean(SessionStore.class);
			SessionStore otherStore = other.getBean(SessionStore.class);
			OverflowingListener listener = context.getBean(OverflowingListener.class);
			createSessions(context, 1);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> listener.calls.get() == 1 && store.size() == 0 && otherStore.size() == 0);

			createSessions(context, 1);

			await().atMost(Duration.ofSeconds(10))
				.until(() -> listener.calls.get() == 2 && store.size() == 0 && otherStore.size() == 0);
		}));
	}

	/** Overflows the stack on every expiry event, and counts them. */
	static class OverflowingListener implements ApplicationListener<SessionExpiredEvent> {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public void onApplicationEvent(SessionExpiredEvent event) {
			this.calls.incrementAndGet();
			throw new StackOverflowError("a listener that recursed too deep");
		}

	}

}
