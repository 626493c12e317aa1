package io.sessionreplication.autoconfigure;

import java.awt.Point;
import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.JsonPath;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.cluster.jgroups.JGroupsChannelFactory;
import io.sessionreplication.cluster.jgroups.JGroupsClusterTransport;
import io.sessionreplication.replication.AllToAllReplicator;
import io.sessionreplication.replication.DeliveryMode;
import io.sessionreplication.replication.PrimaryBackupReplicator;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.session.ImmutableTypes;
import io.sessionreplication.session.MissingCopyPolicy;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.session.UnreadableAttributePolicy;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AttributeSerializer;
import io.sessionreplication.wire.MessageLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.core.io.ClassPathResource;
import org.springframework.session.FlushMode;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SaveMode;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.web.http.SessionRepositoryFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SessionReplicationAutoConfiguration}. Every context joins a real
 * cluster on the in-JVM test stack, under a cluster name of its own.
 */
class SessionReplicationAutoConfigurationTests {

	private static final String TEST_STACK = "session.replication.jgroups.config=classpath:test-stack.xml";

	private final WebApplicationContextRunner sharedClusterRunner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SessionReplicationAutoConfiguration.class, SessionAutoConfiguration.class))
		.withPropertyValues(TEST_STACK);

	private final WebApplicationContextRunner contextRunner = this.sharedClusterRunner
		.withPropertyValues("session.replication.cluster-name=" + uniqueName("autoconfiguration"));

	@Test
	void configuresAReplicatedSessionRepositoryAndTheSessionFilter() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(ReplicatedSessionRepository.class);
			assertThat(context).getBean(SessionRepository.class)
				.isSameAs(context.getBean(ReplicatedSessionRepository.class));
			assertThat(context).hasSingleBean(SessionRepositoryFilter.class);
			String[] filterNames = context.getBeanNamesForType(SessionRepositoryFilter.class);
			assertThat(context).getBean(DelegatingFilterProxyRegistrationBean.class)
				.extracting("targetBeanName")
				.isEqualTo(filterNames[0]);
			assertThat(context).getBean(DelegatingFilterProxyRegistrationBean.class)
				.extracting(DelegatingFilterProxyRegistrationBean::getOrder)
				.isEqualTo(SessionRepositoryFilter.DEFAULT_ORDER);
		});
	}

	@Test
	void propertiesHaveTheirDocumentedDefaults() {
		this.contextRunner.run((context) -> {
			SessionReplicationProperties properties = context.getBean(SessionReplicationProperties.class);
			assertThat(properties.getMode()).isEqualTo(ReplicationMode.ALL_TO_ALL);
			assertThat(properties.getDelivery()).isEqualTo(DeliveryMode.SYNC);
			assertThat(properties.getAckTimeout()).isEqualTo(Duration.ofSeconds(3));
			assertThat(properties.getStateTransferTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(properties.getCleanupInterval()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getRepairInterval()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getBackupCount()).isOne();
			assertThat(properties.getBindAddress()).isEqualTo("127.0.0.1");
			assertThat(properties.getBindPort()).isEqualTo(7800);
			assertThat(properties.getPortRange()).isEqualTo(10);
			assertThat(properties.getMembers()).isEmpty();
			assertThat(properties.getDiscovery()).isNull();
			assertThat(properties.getDns().getQuery()).isNull();
			assertThat(properties.getMulticast().getGroupAddress()).isNull();
			assertThat(properties.getMemberName()).isNull();
		});
	}

	@Test
	void joinsTheClusterWhenTheContextStarts() {
		this.contextRunner.run((context) -> {
			ClusterTransport transport = context.getBean(ClusterTransport.class);
			assertThat(transport.members()).contains(transport.localMember());
			assertThat(context.getBean(SessionStore.class).localMember()).isEqualTo(transport.localMember());
			assertThat(context.getBean(SessionReplicationLifecycle.class).isRunning()).isTrue();
		});
	}

	@Test
	void leavesTheClusterWhenTheContextCloses() {
		String applicationName = uniqueName("leave");
		WebApplicationContextRunner runner = this.sharedClusterRunner
			.withPropertyValues("spring.application.name=" + applicationName);
		runner.run((first) -> {
			ClusterTransport transport = first.getBean(ClusterTransport.class);
			runner.run((second) -> await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> assertThat(transport.members()).hasSize(2)));
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(transport.members()).hasSize(1));
		});
	}

	@Test
	void backsOffWhenUserDefinesSessionRepository() {
		this.contextRunner
			.withBean(MapSessionRepository.class, () -> new MapSessionRepository(new ConcurrentHashMap<>()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ReplicatedSessionRepository.class);
				assertThat(context).doesNotHaveBean(ClusterTransport.class);
				assertThat(context).doesNotHaveBean(SessionReplicationProperties.class);
				assertThat(context).getBean(SessionRepository.class).isInstanceOf(MapSessionRepository.class);
			});
	}

	@Test
	void configuresNothingOutsideAWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(SessionReplicationAutoConfiguration.class, SessionAutoConfiguration.class))
			.withPropertyValues(TEST_STACK, "session.replication.cluster-name=" + uniqueName("not-web"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(SessionRepository.class);
				assertThat(context).doesNotHaveBean(ClusterTransport.class);
				assertThat(context).doesNotHaveBean(SessionReplicationProperties.class);
				assertThat(context).doesNotHaveBean(SessionRepositoryFilter.class);
			});
	}

	@Test
	void newSessionsHaveTheDefaultTimeout() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(ReplicatedSessionRepository.class).createSession().getMaxInactiveInterval())
			.isEqualTo(MapSession.DEFAULT_MAX_INACTIVE_INTERVAL));
	}

	@Test
	void newSessionsHaveTheSpringSessionTimeout() {
		this.contextRunner.withPropertyValues("spring.session.timeout=5m")
			.run((context) -> assertThat(
					context.getBean(ReplicatedSessionRepository.class).createSession().getMaxInactiveInterval())
				.isEqualTo(Duration.ofMinutes(5)));
	}

	@Test
	void userCustomizerOfTheRepositoryRunsAfterTheTimeoutIsApplied() {
		this.contextRunner.withPropertyValues("spring.session.timeout=5m")
			.withBean(NineMinutesTimeout.class)
			.run((context) -> assertThat(
					context.getBean(ReplicatedSessionRepository.class).createSession().getMaxInactiveInterval())
				.isEqualTo(Duration.ofMinutes(9)));
	}

	@Test
	void attributesMayHoldTheApplicationsOwnClassesAndTheAllowedOnesOnly() {
		ApplicationValue own = new ApplicationValue("mine");
		Point other = new Point(1, 2);
		this.contextRunner.withUserConfiguration(ApplicationPackage.class).run((context) -> {
			AttributeSerializer serializer = context.getBean(AttributeSerializer.class);
			assertThat(serializer.deserialize("own", serializer.serialize("own", own).bytes())).isEqualTo(own);
			assertThatIllegalArgumentException().isThrownBy(() -> serializer.serialize("other", other))
				.withMessageContaining("java.awt.Point");
		});
		this.contextRunner.withPropertyValues("session.replication.serialization.allowed-classes=java.awt.Point")
			.run((context) -> assertThat(context.getBean(AttributeSerializer.class).serialize("other", other).bytes())
				.isNotEmpty());
		this.contextRunner.run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> context.getBean(AttributeSerializer.class).serialize("own", own)));
	}

	@Test
	void sizeLimitsReachTheRepository() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ReplicatedSessionRepository.class))
			.hasFieldOrPropertyWithValue("maxAttributeSize", ReplicatedSessionRepository.DEFAULT_MAX_ATTRIBUTE_SIZE)
			.hasFieldOrPropertyWithValue("maxSessionSize", ReplicatedSessionRepository.DEFAULT_MAX_SESSION_SIZE)
			.hasFieldOrPropertyWithValue("maxSessions", Integer.MAX_VALUE));
		this.contextRunner
			.withPropertyValues("session.replication.max-attribute-size=2KB",
					"session.replication.max-session-size=10KB", "session.replication.max-sessions=500")
			.run((context) -> assertThat(context.getBean(ReplicatedSessionRepository.class))
				.hasFieldOrPropertyWithValue("maxAttributeSize", 2048L)
				.hasFieldOrPropertyWithValue("maxSessionSize", 10240L)
				.hasFieldOrPropertyWithValue("maxSessions", 500));
	}

	@Test
	void limitsOfReceivedMessagesFollowTheSizeAndClockSkewProperties() {
		this.contextRunner
			.withPropertyValues("session.replication.max-attribute-size=2KB",
					"session.replication.max-session-size=10KB", "session.replication.max-clock-skew=30s")
			.run((context) -> assertThat(context.getBean(SessionReplicator.class)).extracting("codec.limits")
				.isInstanceOfSatisfying(MessageLimits.class, (limits) -> {
					assertThat(limits.maxAttributeSize()).isEqualTo(2048);
					assertThat(limits.maxSessionSize()).isEqualTo(10240);
					assertThat(limits.maxClockSkew()).isEqualTo(Duration.ofSeconds(30));
				}));
	}

	@Test
	void missingCopiesAreRepairedUnlessTheyShouldFailTheSave() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ReplicatedSessionRepository.class))
			.hasFieldOrPropertyWithValue("missingCopyPolicy", MissingCopyPolicy.REPAIR));
		this.contextRunner.withPropertyValues("session.replication.sync.on-missing-copy=fail")
			.run((context) -> assertThat(context.getBean(ReplicatedSessionRepository.class))
				.hasFieldOrPropertyWithValue("missingCopyPolicy", MissingCopyPolicy.FAIL));
	}

	@Test
	void saveAndFlushModesAreSpringSessionsDefaultsUnlessSet() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ReplicatedSessionRepository.class))
			.hasFieldOrPropertyWithValue("saveMode", SaveMode.ON_SET_ATTRIBUTE)
			.hasFieldOrPropertyWithValue("flushMode", FlushMode.ON_SAVE));
		this.contextRunner
			.withPropertyValues("session.replication.save-mode=on-get-attribute",
					"session.replication.flush-mode=immediate",
					"session.replication.immutable-classes=io.sessionreplication.autoconfigure.*")
			.run((context) -> {
				ReplicatedSessionRepository repository = context.getBean(ReplicatedSessionRepository.class);
				assertThat(repository).hasFieldOrPropertyWithValue("saveMode", SaveMode.ON_GET_ATTRIBUTE)
					.hasFieldOrPropertyWithValue("flushMode", FlushMode.IMMEDIATE);
				assertThat(repository).extracting("immutableTypes")
					.satisfies((types) -> assertThat(((ImmutableTypes) types).isImmutable(getClass())).isTrue());
			});
	}

	@Test
	void membersCompareTheirCopiesEveryRepairIntervalUnlessItIsZero() {
		WebApplicationContextRunner repairing = this.contextRunner
			.withPropertyValues("session.replication.repair-interval=100ms");
		repairing.run((first) -> repairing.run((second) -> {
			ReplicationStatistics statistics = first.getBean(ReplicationStatistics.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> statistics.getRepairRounds() >= 3);
		}));
		WebApplicationContextRunner notRepairing = this.contextRunner
			.withPropertyValues("session.replication.repair-interval=0");
		notRepairing.run((first) -> notRepairing.run((second) -> {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> first.getBean(ClusterTransport.class).members().size() == 2);
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(2))
				.until(() -> first.getBean(ReplicationStatistics.class).getRepairRounds()
						+ second.getBean(ReplicationStatistics.class).getRepairRounds() == 0);
		}));
	}

	@Test
	void unreadableAttributesAreRemovedUnlessTheyShouldFailTheRead() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ReplicatedSessionRepository.class))
			.hasFieldOrPropertyWithValue("unreadableAttributePolicy", UnreadableAttributePolicy.REMOVE));
		this.contextRunner.withPropertyValues("session.replication.serialization.on-unreadable=fail")
			.run((context) -> assertThat(context.getBean(ReplicatedSessionRepository.class))
				.hasFieldOrPropertyWithValue("unreadableAttributePolicy", UnreadableAttributePolicy.FAIL));
	}

	@Test
	void clusterNameDefaultsToTheApplicationName() {
		WebApplicationContextRunner runner = this.sharedClusterRunner
			.withPropertyValues("spring.application.name=" + uniqueName("same-application"));
		runner.run((first) -> runner.run((second) -> {
			ClusterTransport firstTransport = first.getBean(ClusterTransport.class);
			ClusterTransport secondTransport = second.getBean(ClusterTransport.class);
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				assertThat(firstTransport.members()).containsExactlyInAnyOrder(firstTransport.localMember(),
						secondTransport.localMember());
				assertThat(secondTransport.members()).containsExactlyInAnyOrder(firstTransport.localMember(),
						secondTransport.localMember());
			});
		}));
	}

	@Test
	void applicationsWithDifferentNamesDoNotJoinEachOther() {
		this.sharedClusterRunner.withPropertyValues("spring.application.name=" + uniqueName("first-application"))
			.run((first) -> this.sharedClusterRunner
				.withPropertyValues("spring.application.name=" + uniqueName("second-application"))
				.run((second) -> {
					ClusterTransport firstTransport = first.getBean(ClusterTransport.class);
					ClusterTransport secondTransport = second.getBean(ClusterTransport.class);
					await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
						assertThat(firstTransport.members()).containsExactly(firstTransport.localMember());
						assertThat(secondTransport.members()).containsExactly(secondTransport.localMember());
					});
				}));
	}

	@Test
	void memberNameIsTheLocalMember() {
		String memberName = uniqueName("member");
		this.contextRunner.withPropertyValues("session.replication.member-name=" + memberName).run((context) -> {
			ClusterTransport transport = context.getBean(ClusterTransport.class);
			assertThat(transport.localMember()).isEqualTo(memberName);
			assertThat(transport.members()).containsExactly(memberName);
		});
	}

	@Test
	void defaultMemberNameHoldsTheProcessIdAndDiffersBetweenMembers() {
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			String firstName = first.getBean(ClusterTransport.class).localMember();
			String secondName = second.getBean(ClusterTransport.class).localMember();
			assertThat(firstName).contains("-" + ProcessHandle.current().pid() + "-");
			assertThat(secondName).contains("-" + ProcessHandle.current().pid() + "-");
			assertThat(firstName).isNotEqualTo(secondName);
		}));
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource({ "ack-timeout, 0s", "ack-timeout, -1s", "state-transfer-timeout, 0s", "cleanup-interval, -5s",
			"repair-interval, -1s", "backup-count, 0", "bind-port, 70000", "bind-port, -1", "port-range, -1",
			"members, nohost", "members, host:", "members, :7800", "members, host:port",
			"serialization.allowed-classes, !com.example.*", "serialization.denied-classes, maxdepth=2",
			"serialization.max-depth, 0", "serialization.max-array-length, -1", "serialization.max-bytes, 0B",
			"max-attribute-size, 0B", "max-session-size, 0B", "max-sessions, 0", "max-clock-skew, -1s",
			"events.queue-capacity, 0", "max-removals-remembered, 0", "min-removal-memory, 0s",
			"multicast.group-address, 10.0.0.1", "multicast.port, 0", "multicast.port, 65536", "multicast.ttl, -1",
			"multicast.ttl, 256", "dns.server, 10.96.0.10:99999", "dns.server, :53", "dns.refresh-period, 999ms",
			"immutable-classes, !com.example.*", "reactive.max-threads, 0", "reactive.queue-capacity, -1" })
	void invalidValueFailsStartupNamingTheProperty(String property, String value) {
		String name = "session.replication." + property;
		this.contextRunner.withPropertyValues(name + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException invalid = findCause(context.getStartupFailure(),
					InvalidConfigurationPropertyValueException.class);
			assertThat(invalid).as("InvalidConfigurationPropertyValueException in %s", context.getStartupFailure())
				.isNotNull();
			assertThat(invalid.getName()).isEqualTo(name);
			assertThat(invalid.getMessage()).contains(name);
		});
	}

	@Test
	void allToAllIsTheDefaultMode() {
		this.contextRunner.run((context) -> assertThat(context).getBean(SessionReplicator.class)
			.isInstanceOf(AllToAllReplicator.class));
	}

	@Test
	void primaryBackupMemberHoldsItsShareOnceItsContextHasStarted() {
		WebApplicationContextRunner runner = this.contextRunner
			.withPropertyValues("session.replication.mode=primary-backup");
		runner.run((first) -> {
			ReplicatedSessionRepository repository = first.getBean(ReplicatedSessionRepository.class);
			for (int i = 0; i < 300; i++) {
				ReplicatedSession session = repository.createSession();
				session.setAttribute("counter", i);
				repository.save(session);
			}
			// two members, one backup: the joining member owns every session
			runner.run((second) -> assertThat(second.getBean(SessionStore.class).size()).isEqualTo(300));
		});
	}

	@ParameterizedTest(name = "backup-count={0}")
	@CsvSource({ "1, 2", "2, 3" })
	void primaryBackupModeKeepsEachSessionOnItsPrimaryAndItsBackups(int backupCount, int copies) {
		WebApplicationContextRunner runner = this.contextRunner.withPropertyValues(
				"session.replication.mode=primary-backup", "session.replication.backup-count=" + backupCount);
		runner.run((first) -> runner.run((second) -> runner.run((third) -> {
			assertThat(first).getBean(SessionReplicator.class).isInstanceOf(PrimaryBackupReplicator.class);
			await().atMost(Duration.ofSeconds(15))
				.until(() -> first.getBean(ClusterTransport.class).members().size() == 3);
			ReplicatedSessionRepository repository = first.getBean(ReplicatedSessionRepository.class);
			ReplicatedSession session = repository.createSession();
			session.setAttribute("user", "alice");
			repository.save(session);

			List<SessionStore> stores = List.of(first.getBean(SessionStore.class), second.getBean(SessionStore.class),
					third.getBean(SessionStore.class));
			assertThat(stores).filteredOn((store) -> store.size() == 1).hasSize(copies);
			assertThat(third.getBean(ReplicatedSessionRepository.class)
				.findById(session.getId())
				.<String>getAttribute("user")).isEqualTo("alice");
		})));
	}

	@Test
	void invalidValueFailsStartupWhenUserDefinesClusterTransport() {
		this.contextRunner.withPropertyValues("session.replication.ack-timeout=0s")
			.withBean(ClusterTransport.class, () -> {
				JGroupsChannelFactory channelFactory = new JGroupsChannelFactory();
				channelFactory.setConfig(new ClassPathResource("test-stack.xml"));
				return new JGroupsClusterTransport(channelFactory.createChannel("user-transport"),
						uniqueName("user-transport"));
			})
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(findCause(context.getStartupFailure(), InvalidConfigurationPropertyValueException.class))
					.extracting(InvalidConfigurationPropertyValueException::getName)
					.isEqualTo("session.replication.ack-timeout");
			});
	}

	@Test
	void discoveryPropertiesThatContradictEachOtherFailStartupNamingTheProperty() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(SessionReplicationAutoConfiguration.class, SessionAutoConfiguration.class))
			.withPropertyValues("session.replication.members=127.0.0.1:7800",
					"session.replication.dns.query=members.example")
			.run((context) -> {
				assertThat(context).hasFailed();
				InvalidConfigurationPropertyValueException invalid = findCause(context.getStartupFailure(),
						InvalidConfigurationPropertyValueException.class);
				assertThat(invalid).as("InvalidConfigurationPropertyValueException in %s", context.getStartupFailure())
					.isNotNull();
				assertThat(invalid.getName()).isEqualTo("session.replication.dns.query");
				assertThat(invalid.getMessage()).contains("session.replication.members");
			});
	}

	@Test
	void discoveryPropertiesDoNotApplyToAStackOfTheUsersOwn() {
		this.contextRunner
			.withPropertyValues("session.replication.members=127.0.0.1:7800",
					"session.replication.dns.query=members.example", "session.replication.multicast.ttl=2",
					"session.replication.bind-address=192.0.2.1")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource({ "mode, sideways", "delivery, maybe", "ack-timeout, soon", "bind-port, high",
			"serialization.on-unreadable, ignore", "discovery, gossip", "dns.record-type, MX" })
	void valueThatDoesNotBindFailsStartupNamingTheProperty(String property, String value) {
		String name = "session.replication." + property;
		this.contextRunner.withPropertyValues(name + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			BindException bindException = findCause(context.getStartupFailure(), BindException.class);
			assertThat(bindException).as("BindException in %s", context.getStartupFailure()).isNotNull();
			assertThat(bindException.getName()).hasToString(name);
			assertThat(bindException.getMessage()).contains(name);
		});
	}

	@ParameterizedTest
	@CsvSource({ "classpath:missing.xml, missing.xml", "classpath:invalid-stack.xml, invalid-stack.xml",
			"classpath:unknown-protocol-stack.xml, unknown-protocol-stack.xml" })
	void unusableStackFailsStartupNamingTheStack(String location, String fileName) {
		assertStartupFailsNamingTheStack(location, fileName);
	}

	@Test
	void stackThatJGroupsReadsOnlyPartlyFailsStartupNamingTheStack() {
		assertStartupFailsNamingTheStack("classpath:truncated-stack.xml", "truncated-stack.xml");
	}

	private void assertStartupFailsNamingTheStack(String location, String fileName) {
		this.contextRunner.withPropertyValues("session.replication.jgroups.config=" + location).run((context) -> {
			assertThat(context).hasFailed();
			IllegalStateException stackFailure = findCause(context.getStartupFailure(), IllegalStateException.class);
			assertThat(stackFailure).as("IllegalStateException in %s", context.getStartupFailure()).isNotNull();
			assertThat(stackFailure.getMessage()).contains("JGroups stack").contains(fileName);
		});
	}

	@Test
	void refusesTrafficWhileJoining() {
		this.contextRunner.withBean(ReadinessRecorder.class).run((context) -> {
			List<AvailabilityChangeEvent<?>> events = context.getBean(ReadinessRecorder.class).events;
			assertThat(events).anySatisfy((event) -> {
				assertThat(event.getState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
				assertThat(event.getSource()).isInstanceOf(SessionReplicationLifecycle.class);
			});
		});
	}

	@Test
	void configurationMetadataDescribesEveryProperty() throws IOException {
		Path metadata = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");
		assertThat(metadata).isRegularFile();
		List<Map<String, Object>> properties = JsonPath.parse(Files.readString(metadata)).read("$.properties[*]");
		List<Map<String, Object>> ours = properties.stream()
			.filter((property) -> ((String) property.get("name")).startsWith("session.replication."))
			.toList();

		assertThat(ours).extracting((property) -> (String) property.get("name"))
			.containsExactlyInAnyOrderElementsOf(
					propertyNames("session.replication.", SessionReplicationProperties.class));
		assertThat(ours).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.isNotBlank());
		assertThat(ours).filteredOn((property) -> property.get("name").equals("session.replication.mode"))
			.singleElement()
			.satisfies((property) -> assertThat(property.get("defaultValue")).isEqualTo("all-to-all"));
		assertThat(ours).filteredOn((property) -> property.get("name").equals("session.replication.ack-timeout"))
			.singleElement()
			.satisfies((property) -> assertThat(property.get("defaultValue")).isEqualTo("3s"));
	}

	/**
	 * The property names that {@code type} binds, from its fields.
	 */
	private static Set<String> propertyNames(String prefix, Class<?> type) {
		Set<String> names = new TreeSet<>();
		for (Field field : type.getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers())) {
				continue;
			}
			String name = prefix + field.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
			if (field.getType().getDeclaringClass() == type) {
				names.addAll(propertyNames(name + ".", field.getType()));
			}
			else {
				names.add(name);
			}
		}
		return names;
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		List<Throwable> seen = new ArrayList<>();
		for (Throwable cause = failure; cause != null && !seen.contains(cause); cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
			seen.add(cause);
		}
		return null;
	}

	private static String uniqueName(String prefix) {
		return prefix + "-" + UUID.randomUUID();
	}

	static class NineMinutesTimeout implements SessionRepositoryCustomizer<ReplicatedSessionRepository> {

		@Override
		public void customize(ReplicatedSessionRepository repository) {
			repository.setDefaultMaxInactiveInterval(Duration.ofMinutes(9));
		}

	}

	static class ReadinessRecorder implements ApplicationListener<AvailabilityChangeEvent<?>> {

		final List<AvailabilityChangeEvent<?>> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
			this.events.add(event);
		}

	}

	/**
	 * Marks this test's package as the application's, as {@code @SpringBootApplication}
	 * does.
	 */
	@AutoConfigurationPackage
	static class ApplicationPackage {

	}

	/** A value of the application's own package. */
	record ApplicationValue(String text) implements Serializable {
	}

}
