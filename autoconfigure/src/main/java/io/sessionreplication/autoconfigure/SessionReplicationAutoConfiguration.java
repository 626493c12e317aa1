package io.sessionreplication.autoconfigure;

import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.reactive.ReactiveReplicatedSessionRepository;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.session.FlushMode;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.ReactiveSessionRepositoryCustomizer;
import org.springframework.session.config.annotation.web.http.SpringHttpSessionConfiguration;
import org.springframework.session.config.annotation.web.server.SpringWebSessionConfiguration;
import org.springframework.web.server.session.WebSessionManager;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of clustered HTTP sessions: a
 * {@link ReplicatedSessionRepository} whose sessions are copied to the other instances of
 * the application over JGroups.
 * <p>
 * In a servlet web application it is the application's {@link SessionRepository}, and
 * backs off when the application defines its own. Spring Session's filter is registered
 * by Boot's {@link SessionAutoConfiguration}, which also supplies the session timeout
 * ({@code spring.session.timeout}, falling back to
 * {@code server.servlet.session.timeout}).
 * <p>
 * In a reactive web application (with Reactor and Spring WebFlux), a
 * {@link ReactiveReplicatedSessionRepository} over the same engine is the application's
 * {@link ReactiveSessionRepository}, and the auto-configuration backs off when the
 * application defines its own. Spring Session's {@code webSessionManager} serves it to
 * WebFlux, in place of Boot's in-memory one, with the {@code WebSessionIdResolver} that
 * Boot configures from {@code server.reactive.session.cookie.*}; the session timeout is
 * {@code spring.session.timeout}, falling back to
 * {@code server.reactive.session.timeout}.
 * <p>
 * Either way, the repository publishes Spring Session's events to the application context
 * and resolves the index values of a session with the application's
 * {@code IndexResolver<Session>} bean, if it defines one, else by principal name. It is a
 * {@link org.springframework.session.FindByIndexNameSessionRepository} (reactive: a
 * {@link org.springframework.session.ReactiveFindByIndexNameSessionRepository}), so
 * Boot's {@code sessions} endpoint and Spring Security's session registry work with it.
 */
@AutoConfiguration(before = SessionAutoConfiguration.class,
		beforeName = { "org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration",
				"org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration" },
		afterName = "org.springframework.boot.webflux.autoconfigure.WebSessionIdResolverAutoConfiguration")
@ConditionalOnWebApplication
@ConditionalOnClass(value = Session.class, name = "org.jgroups.JChannel")
public final class SessionReplicationAutoConfiguration {

	/**
	 * The engine, and Spring Session's configuration for servlet applications, whose
	 * {@code SessionRepositoryFilter} serves the {@link ReplicatedSessionRepository}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnMissingBean(SessionRepository.class)
	@Import({ SessionReplicationEngineConfiguration.class, SpringHttpSessionConfiguration.class })
	static class ServletSessionReplicationConfiguration {

	}

	/**
	 * The engine, a {@link ReactiveReplicatedSessionRepository} over it, and Spring
	 * Session's configuration for WebFlux, whose {@code webSessionManager} serves that
	 * repository.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass({ Mono.class, WebSessionManager.class })
	@ConditionalOnMissingBean(ReactiveSessionRepository.class)
	@Import({ SessionReplicationEngineConfiguration.class, SpringWebSessionConfiguration.class })
	static class ReactiveSessionReplicationConfiguration {

		@Bean
		ReactiveReplicatedSessionRepository reactiveSessionRepository(ReplicatedSessionRepository sessionRepository,
				SessionReplicationProperties properties,
				ObjectProvider<ReactiveSessionRepositoryCustomizer<ReactiveReplicatedSessionRepository>> customizers) {
			if (properties.getFlushMode() == FlushMode.IMMEDIATE) {
				throw new InvalidConfigurationPropertyValueException("session.replication.flush-mode", "immediate",
						"a reactive web application saves its sessions with flush-mode on-save only: 'immediate' "
								+ "would save at each change of a session, and wait for the other members, on the "
								+ "thread that changes it, an event loop");
			}
			SessionReplicationProperties.Reactive reactive = properties.getReactive();
			ReactiveReplicatedSessionRepository repository = new ReactiveReplicatedSessionRepository(sessionRepository,
					reactive.getMaxThreads(), reactive.getQueueCapacity());
			customizers.orderedStream().forEach((customizer) -> customizer.customize(repository));
			return repository;
		}

	}

}
