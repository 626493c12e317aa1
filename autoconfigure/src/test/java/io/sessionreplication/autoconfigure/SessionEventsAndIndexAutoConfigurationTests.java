package io.sessionreplication.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.session.actuate.endpoint.SessionsDescriptor.SessionDescriptor;
import org.springframework.boot.session.actuate.endpoint.SessionsEndpoint;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionsEndpointAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.IndexResolver;
import org.springframework.session.Session;
import org.springframework.session.events.AbstractSessionEvent;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;

import static io.sessionreplication.autoconfigure.MemberContexts.awaitMembers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configured repository with Boot's {@code sessions} endpoint, an application's
 * own {@link IndexResolver}, and session events delivered to the application's listeners,
 * with real members in one JVM.
 */
class SessionEventsAndIndexAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionReplicationAutoConfiguration.class,
				SessionAutoConfiguration.class, SessionsEndpointAutoConfiguration.class))
		.withUserConfiguration(EventRecorder.class)
		.withPropertyValues("session.replication.jgroups.config=classpath:test-stack.xml",
				"session.replication.cluster-name=index-" + UUID.randomUUID(),
				"management.endpoints.web.exposure.include=sessions");

	@Test
	void sessionsEndpointFindsAUsersSessionsOnEveryMemberAndDeletesThemEverywhere() {
		WebApplicationContextRunner primaryBackup = this.contextRunner
			.withPropertyValues("session.replication.mode=primary-backup");
		primaryBackup.run((first) -> primaryBackup.run((second) -> primaryBackup.run((third) -> {
			awaitMembers(first, 3);
			List<AssertableWebApplicationContext> members = List.of(first, second, third);
			String aliceOnFirst = createSession(first, "alice");
			String aliceOnThird = createSession(third, "alice");
			createSession(second, "bob");

			for (AssertableWebApplicationContext member : members) {
				assertThat(member.getBean(SessionsEndpoint.class).sessionsForUsername("alice").getSessions())
					.extracting(SessionDescriptor::getId)
					.containsExactlyInAnyOrder(aliceOnFirst, aliceOnThird);
			}
			second.getBean(SessionsEndpoint.class).deleteSession(aliceOnFirst);

			for (AssertableWebApplicationContext member : members) {
				assertThat(member.getBean(SessionsEndpoint.class).sessionsForUsername("alice").getSessions())
					.extracting(SessionDescriptor::getId)
					.containsExactly(aliceOnThird);
				assertThat(member.getBean(SessionsEndpoint.class).getSession(aliceOnFirst)).isNull();
			}
		})));
	}

	@Test
	void applicationsIndexResolverIndexesTheSessions() {
		this.contextRunner.withUserConfiguration(TenantIndex.class)
			.run((first) -> this.contextRunner.withUserConfiguration(TenantIndex.class).run((second) -> {
				awaitMembers(first, 2);
				ReplicatedSessionRepository repository = first.getBean(ReplicatedSessionRepository.class);
				ReplicatedSession session = repository.createSession();
				session.setAttribute("tenant", "acme");
				repository.save(session);

				assertThat(second.getBean(ReplicatedSessionRepository.class)
					.findByIndexNameAndIndexValue("tenant", "acme")).containsOnlyKeys(session.getId());
			}));
	}

	@Test
	void eventsReachTheApplicationsListenersOnceInTheCluster() {
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			awaitMembers(first, 2);
			String id = createSession(first, "alice");
			second.getBean(ReplicatedSessionRepository.class).deleteById(id);

			await().atMost(Duration.ofSeconds(5))
				.during(Duration.ofMillis(500))
				.until(() -> events(first).equals(List.of("created " + id))
						&& events(second).equals(List.of("deleted " + id)));
		}));
	}

	@Test
	void everyMemberPublishesTheEventsWhenSoSet() {
		WebApplicationContextRunner everyMember = this.contextRunner
			.withPropertyValues("session.replication.events.every-member=true");
		everyMember.run((first) -> everyMember.run((second) -> {
			awaitMembers(first, 2);
			String id = createSession(first, "alice");
			second.getBean(ReplicatedSessionRepository.class).deleteById(id);

			List<String> both = List.of("created " + id, "deleted " + id);
			// the second member publishes the creation it received on its events thread,
			// and the deletion it made on the deleting thread: in either order
			await().atMost(Duration.ofSeconds(5))
				.during(Duration.ofMillis(500))
				.until(() -> events(first).equals(both) && events(second).size() == 2
						&& events(second).containsAll(both));
		}));
	}

	private static String createSession(AssertableWebApplicationContext context, String principal) {
		ReplicatedSessionRepository repository = context.getBean(ReplicatedSessionRepository.class);
		ReplicatedSession session = repository.createSession();
		session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, principal);
		repository.save(session);
		return session.getId();
	}

	private static List<String> events(AssertableWebApplicationContext context) {
		return List.copyOf(context.getBean(EventRecorder.class).events);
	}

	@Configuration(proxyBeanMethods = false)
	static class EventRecorder implements ApplicationListener<AbstractSessionEvent> {

		final List<String> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(AbstractSessionEvent event) {
			String kind = (event instanceof SessionCreatedEvent) ? "created"
					: (event instanceof SessionDeletedEvent) ? "deleted" : "other";
			this.events.add(kind + " " + event.getSessionId());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TenantIndex {

		@Bean
		IndexResolver<Session> tenantIndexResolver() {
			return (session) -> {
				String tenant = session.getAttribute("tenant");
				return (tenant != null) ? Map.of("tenant", tenant) : Map.of();
			};
		}

	}

}
