package io.sessionreplication.autoconfigure;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;

import io.sessionreplication.autoconfigure.actuate.SessionReplicationEndpoint;
import io.sessionreplication.autoconfigure.actuate.SessionReplicationEndpointAutoConfiguration;
import io.sessionreplication.autoconfigure.health.SessionReplicationHealthContributorAutoConfiguration;
import io.sessionreplication.autoconfigure.health.SessionReplicationHealthIndicator;
import io.sessionreplication.autoconfigure.metrics.SessionReplicationMetricsAutoConfiguration;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.metrics.SessionReplicationMetrics;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.reactive.ReactiveReplicatedSessionRepository;
import io.sessionreplication.store.SessionStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.session.actuate.endpoint.ReactiveSessionsEndpoint;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionsEndpointAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebSessionIdResolverAutoConfiguration;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.ReactiveSessionRepositoryCustomizer;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionIdResolver;
import org.springframework.web.server.session.WebSessionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SessionReplicationAutoConfiguration} in a reactive web application,
 * with Boot's WebFlux and session auto-configurations. Every context joins a real cluster
 * on the in-JVM test stack, under a cluster name of its own.
 */
class SessionReplicationReactiveAutoConfigurationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionReplicationAutoConfiguration.class,
				SessionAutoConfiguration.class, WebSessionIdResolverAutoConfiguration.class,
				WebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class))
		.withPropertyValues("session.replication.jgroups.config=classpath:test-stack.xml",
				"session.replication.cluster-name=reactive-" + UUID.randomUUID());

	@Test
	void configuresTheEngineAndAReactiveRepositoryOverIt() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(ReactiveReplicatedSessionRepository.class);
			assertThat(context).getBean(ReactiveSessionRepository.class)
				.isSameAs(context.getBean(ReactiveReplicatedSessionRepository.class));
			assertThat(context).hasSingleBean(ReplicatedSessionRepository.class);
			assertThat(context).hasSingleBean(SessionStore.class);
			assertThat(context.getBean(SessionReplicationLifecycle.class).isRunning()).isTrue();
			ClusterTransport transport = context.getBean(ClusterTransport.class);
			assertThat(transport.members()).containsExactly(transport.localMember());
			assertThat(context).doesNotHaveBean(SessionRepositoryFilter.class);
		});
	}

	@Test
	void webSessionManagerIsSpringSessionsOverTheReplicatedRepositoryWithBootsIdResolver() {
		this.contextRunner.run((context) -> {
			DefaultWebSessionManager manager = webSessionManager(context);
			assertThat(manager.getSessionStore()).isInstanceOfSatisfying(SpringSessionWebSessionStore.class,
					(store) -> assertThat(store).extracting("sessions")
						.isSameAs(context.getBean(ReactiveReplicatedSessionRepository.class)));
			assertThat(manager.getSessionIdResolver()).isSameAs(context.getBean(WebSessionIdResolver.class));
		});
	}

	@Test
	void cookieOfTheSessionIsConfiguredByServerReactiveSessionCookieProperties() {
		this.contextRunner.withPropertyValues("server.reactive.session.cookie.name=CLUSTERED").run((context) -> {
			assertThat(webSessionManager(context).getSessionIdResolver()).isInstanceOfSatisfying(
					CookieWebSessionIdResolver.class,
					(resolver) -> assertThat(resolver.getCookieName()).isEqualTo("CLUSTERED"));
		});
	}

	@Test
	void sessionTimeoutIsSpringSessionTimeoutFallingBackToServerReactiveSessionTimeout() {
		assertNewSessionsTimeout(this.contextRunner, MapSession.DEFAULT_MAX_INACTIVE_INTERVAL);
		assertNewSessionsTimeout(this.contextRunner.withPropertyValues("server.reactive.session.timeout=7m"),
				Duration.ofMinutes(7));
		assertNewSessionsTimeout(this.contextRunner.withPropertyValues("spring.session.timeout=5m"),
				Duration.ofMinutes(5));
		assertNewSessionsTimeout(this.contextRunner.withPropertyValues("spring.session.timeout=5m",
				"server.reactive.session.timeout=7m"), Duration.ofMinutes(5));
	}

	private static void assertNewSessionsTimeout(ReactiveWebApplicationContextRunner runner, Duration timeout) {
		runner.run((context) -> {
			assertThat(context.getBean(ReactiveReplicatedSessionRepository.class)
				.createSession()
				.block(TIMEOUT)
				.getMaxInactiveInterval()).isEqualTo(timeout);
			assertThat(webSessionManager(context).getSessionStore().createWebSession().block(TIMEOUT).getMaxIdleTime())
				.isEqualTo(timeout);
		});
	}

	@Test
	void userCustomizerOfTheReactiveRepositoryIsApplied() {
		AtomicReference<ReactiveReplicatedSessionRepository> customized = new AtomicReference<>();
		this.contextRunner
			.withBean("customizer", ReactiveSessionRepositoryCustomizer.class,
					() -> (ReactiveSessionRepositoryCustomizer<ReactiveReplicatedSessionRepository>) customized::set)
			.run((context) -> assertThat(customized)
				.hasValue(context.getBean(ReactiveReplicatedSessionRepository.class)));
	}

	@Test
	void threadsAndQueueOfTheReactiveRepositoryFollowTheProperties() {
		this.contextRunner.run((context) -> {
			SessionReplicationProperties.Reactive defaults = context.getBean(SessionReplicationProperties.class)
				.getReactive();
			assertThat(defaults.getMaxThreads()).isEqualTo(ReactiveReplicatedSessionRepository.DEFAULT_MAX_THREADS);
			assertThat(defaults.getQueueCapacity())
				.isEqualTo(ReactiveReplicatedSessionRepository.DEFAULT_QUEUE_CAPACITY);
			assertThat(executor(context).getMaximumPoolSize()).isEqualTo(64);
			assertThat(executor(context).getQueue().remainingCapacity()).isEqualTo(1_000);
		});
		this.contextRunner
			.withPropertyValues("session.replication.reactive.max-threads=8",
					"session.replication.reactive.queue-capacity=50")
			.run((context) -> {
				assertThat(executor(context).getMaximumPoolSize()).isEqualTo(8);
				assertThat(executor(context).getCorePoolSize()).isEqualTo(8);
				assertThat(executor(context).getQueue().remainingCapacity()).isEqualTo(50);
			});
	}

	@Test
	void immediateFlushFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("session.replication.flush-mode=immediate").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (invalid) -> {
					assertThat(invalid.getName()).isEqualTo("session.replication.flush-mode");
					assertThat(invalid.getMessage()).contains("on-save");
				});
		});
	}

	@Test
	void closingTheContextStopsTheRepositorysThreads() {
		AtomicReference<ReactiveReplicatedSessionRepository> repository = new AtomicReference<>();
		this.contextRunner.run((context) -> {
			repository.set(context.getBean(ReactiveReplicatedSessionRepository.class));
			assertThat(repository.get().findById("unknown").block(TIMEOUT)).isNull();
		});

		assertThatExceptionOfType(RejectedExecutionException.class)
			.isThrownBy(() -> repository.get().findById("unknown").block(TIMEOUT))
			.withMessageContaining("closed");
	}

	@Test
	void backsOffWhenUserDefinesReactiveSessionRepository() {
		this.contextRunner
			.withBean(ReactiveMapSessionRepository.class,
					() -> new ReactiveMapSessionRepository(new ConcurrentHashMap<>()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ReplicatedSessionRepository.class);
				assertThat(context).doesNotHaveBean(ClusterTransport.class);
				assertThat(context).doesNotHaveBean(SessionReplicationProperties.class);
				assertThat(context).getBean(ReactiveSessionRepository.class)
					.isInstanceOf(ReactiveMapSessionRepository.class);
			});
	}

	@Test
	void configuresNothingWithoutSpringWebFluxOnTheClassPath() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SessionReplicationAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(WebSessionManager.class))
			.withPropertyValues("session.replication.jgroups.config=classpath:test-stack.xml",
					"session.replication.cluster-name=reactive-" + UUID.randomUUID())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ClusterTransport.class);
				assertThat(context).doesNotHaveBean(SessionReplicationProperties.class);
			});
	}

	@Test
	void servletApplicationHasNoReactiveRepository() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(SessionReplicationAutoConfiguration.class, SessionAutoConfiguration.class))
			.withPropertyValues("session.replication.jgroups.config=classpath:test-stack.xml",
					"session.replication.cluster-name=servlet-" + UUID.randomUUID())
			.run((context) -> {
				assertThat(context).hasSingleBean(ReplicatedSessionRepository.class);
				assertThat(context).getBean(SessionRepository.class)
					.isSameAs(context.getBean(ReplicatedSessionRepository.class));
				assertThat(context).hasSingleBean(SessionRepositoryFilter.class);
				assertThat(context).doesNotHaveBean(ReactiveSessionRepository.class);
				assertThat(context).doesNotHaveBean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME);
			});
	}

	@Test
	void healthMetricsAndEndpointsApplyInAReactiveApplication() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(SessionReplicationHealthContributorAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, SessionReplicationMetricsAutoConfiguration.class,
					SessionReplicationEndpointAutoConfiguration.class, SessionsEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=sessionreplication,sessions")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(SessionReplicationHealthIndicator.class).health().getStatus())
					.isEqualTo(Status.UP);
				assertThat(context).hasSingleBean(SessionReplicationMetrics.class);
				assertThat(context.getBean(SessionReplicationEndpoint.class).member().members()).hasSize(1);
				assertThat(context).getBean(ReactiveSessionsEndpoint.class)
					.extracting("indexedSessionRepository")
					.isSameAs(context.getBean(ReactiveReplicatedSessionRepository.class));
			});
	}

	private static DefaultWebSessionManager webSessionManager(AssertableReactiveWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME, DefaultWebSessionManager.class);
	}

	private static ThreadPoolExecutor executor(AssertableReactiveWebApplicationContext context) {
		return (ThreadPoolExecutor) ReflectionTestUtils
			.getField(context.getBean(ReactiveReplicatedSessionRepository.class), "executor");
	}

}
