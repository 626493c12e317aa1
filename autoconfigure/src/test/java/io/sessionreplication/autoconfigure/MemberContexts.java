package io.sessionreplication.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;

import org.springframework.context.ApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * What the tests of the actuator and metrics support do with a member running in an
 * application context: wait for the view, create sessions.
 */
public final class MemberContexts {

	private MemberContexts() {
	}

	/**
	 * Wait, at most 15 s, until a member's view has {@code members} members.
	 * @param context the member's context
	 * @param members the members expected
	 */
	public static void awaitMembers(ApplicationContext context, int members) {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> context.getBean(ClusterTransport.class).members().size() == members);
	}

	/**
	 * Create sessions on a member, each with a {@code user} attribute.
	 * @param context the member's context
	 * @param count how many
	 * @return their ids
	 */
	public static List<String> createSessions(ApplicationContext context, int count) {
		ReplicatedSessionRepository repository = context.getBean(ReplicatedSessionRepository.class);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ReplicatedSession session = repository.createSession();
			session.setAttribute("user", "user-" + i);
			repository.save(session);
			ids.add(session.getId());
		}
		return ids;
	}

}
