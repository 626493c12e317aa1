package io.sessionreplication.autoconfigure;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.cluster.jgroups.JGroupsChannelFactory;
import io.sessionreplication.cluster.jgroups.JGroupsClusterTransport;
import io.sessionreplication.replication.AbstractSessionReplicator;
import io.sessionreplication.replication.AllToAllReplicator;
import io.sessionreplication.replication.PrimaryBackupReplicator;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.session.ImmutableTypes;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AttributeClassFilter;
import io.sessionreplication.wire.AttributeSerializer;
import io.sessionreplication.wire.MessageLimits;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.session.IndexResolver;
import org.springframework.session.Session;
import org.springframework.session.config.SessionRepositoryCustomizer;

/**
 * The beans of the engine, the same in a servlet and in a reactive web application: the
 * transport, the store, the replicator, the attribute serializer, the
 * {@link ReplicatedSessionRepository} with Boot's session timeout, and the lifecycle that
 * joins the cluster. {@link SessionReplicationAutoConfiguration} imports it in each
 * variant, beside what serves the sessions to that kind of application.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SessionReplicationProperties.class)
class SessionReplicationEngineConfiguration {

	@Bean(destroyMethod = "leave")
	@ConditionalOnMissingBean
	ClusterTransport sessionReplicationTransport(SessionReplicationProperties properties, Environment environment,
			ObjectProvider<SslBundles> sslBundles) {
		JGroupsChannelFactory channelFactory = new JGroupsChannelFactory();
		PropertyMapper map = PropertyMapper.get();
		map.from(properties.getJgroups()::getConfig).to(channelFactory::setConfig);
		map.from(properties::getBindAddress).to(channelFactory::setBindAddress);
		map.from(properties::getBindPort).to(channelFactory::setBindPort);
		map.from(properties::getPortRange).to(channelFactory::setPortRange);
		if (properties.getJgroups().getConfig() == null) {
			channelFactory.setDiscovery(DiscoveryChoice.of(properties));
		}
		map.from(properties::getMembers).to(channelFactory::setMembers);
		map.from(properties.getDns()::getQuery).to(channelFactory::setDnsQuery);
		map.from(properties.getDns()::getRecordType).to(channelFactory::setDnsRecordType);
		map.from(properties.getDns()::getServer).to(channelFactory::setDnsServer);
		map.from(properties.getDns()::getRefreshPeriod).to(channelFactory::setDnsRefreshPeriod);
		map.from(properties.getMulticast()::getGroupAddress).to(channelFactory::setMulticastGroup);
		map.from(properties.getMulticast()::getPort).to(channelFactory::setMulticastPort);
		map.from(properties.getMulticast()::getTtl).to(channelFactory::setMulticastTtl);
		map.from(properties::isInsecure).to(channelFactory::setInsecure);
		map.from(properties.getSsl()::getBundle)
			.to((bundleName) -> ClusterTls.apply(bundleName, sslBundles.getObject(), channelFactory));
		String memberName = (properties.getMemberName() != null) ? properties.getMemberName() : defaultMemberName();
		String clusterName = (properties.getClusterName() != null) ? properties.getClusterName()
				: environment.getProperty("spring.application.name", "session-replication");
		return new JGroupsClusterTransport(channelFactory.createChannel(memberName), clusterName,
				SpokenWireFormats.of(environment).announced());
	}

	@Bean
	SessionStore sessionReplicationStore(ClusterTransport transport, SessionReplicationProperties properties) {
		SessionStore store = new SessionStore(transport.localMember());
		store.setMaxRemovals(properties.getMaxRemovalsRemembered());
		store.setMinRemovalMemory(properties.getMinRemovalMemory());
		return store;
	}

	@Bean
	ReplicationStatistics sessionReplicationStatistics() {
		return new ReplicationStatistics();
	}

	@Bean
	SessionReplicator sessionReplicator(SessionReplicationProperties properties, SessionStore store,
			ClusterTransport transport, ReplicationStatistics statistics, Environment environment) {
		AbstractSessionReplicator replicator = switch (properties.getMode()) {
			case ALL_TO_ALL -> new AllToAllReplicator(store, transport, properties.getDelivery(),
					properties.getAckTimeout(), statistics);
			case PRIMARY_BACKUP -> new PrimaryBackupReplicator(store, transport, properties.getDelivery(),
					properties.getAckTimeout(), statistics, properties.getBackupCount());
		};
		replicator.setCodec(SpokenWireFormats.of(environment)
			.codec(new MessageLimits(properties.getMaxAttributeSize().toBytes(),
					properties.getMaxSessionSize().toBytes(), properties.getMaxClockSkew(), Clock.systemUTC())));
		return replicator;
	}

	@Bean
	AttributeSerializer sessionAttributeSerializer(ResourceLoader resourceLoader,
			SessionReplicationProperties properties, BeanFactory beanFactory) {
		SessionReplicationProperties.Serialization serialization = properties.getSerialization();
		List<String> allowed = new ArrayList<>();
		if (AutoConfigurationPackages.has(beanFactory)) {
			AutoConfigurationPackages.get(beanFactory)
				.forEach((applicationPackage) -> allowed.add(applicationPackage + ".**"));
		}
		allowed.addAll(serialization.getAllowedClasses());
		AttributeClassFilter filter = AttributeClassFilter.of(allowed, serialization.getDeniedClasses(),
				new AttributeClassFilter.Limits(serialization.getMaxDepth(), serialization.getMaxReferences(),
						serialization.getMaxArrayLength(), serialization.getMaxBytes().toBytes()));
		ClassLoader classLoader = resourceLoader.getClassLoader();
		return new AttributeSerializer((classLoader != null) ? classLoader : getClass().getClassLoader(), filter);
	}

	@Bean
	ReplicatedSessionRepository sessionRepository(SessionReplicationProperties properties, SessionStore store,
			SessionReplicator replicator, AttributeSerializer serializer, ReplicationStatistics statistics,
			ApplicationEventPublisher eventPublisher, ObjectProvider<IndexResolver<Session>> indexResolver,
			ObjectProvider<SessionRepositoryCustomizer<ReplicatedSessionRepository>> customizers) {
		ReplicatedSessionRepository repository = new ReplicatedSessionRepository(store, replicator, serializer,
				statistics);
		repository.setApplicationEventPublisher(eventPublisher);
		repository.setPublishEventsOnEveryMember(properties.getEvents().isEveryMember());
		repository.setEventQueueCapacity(properties.getEvents().getQueueCapacity());
		repository.setUnreadableAttributePolicy(properties.getSerialization().getOnUnreadable());
		repository.setMissingCopyPolicy(properties.getSync().getOnMissingCopy());
		repository.setSaveMode(properties.getSaveMode());
		repository.setFlushMode(properties.getFlushMode());
		repository.setImmutableTypes(ImmutableTypes.of(properties.getImmutableClasses()));
		repository.setMaxAttributeSize(properties.getMaxAttributeSize().toBytes());
		repository.setMaxSessionSize(properties.getMaxSessionSize().toBytes());
		Integer maxSessions = properties.getMaxSessions();
		if (maxSessions != null) {
			repository.setMaxSessions(maxSessions);
		}
		indexResolver.ifAvailable(repository::setIndexResolver);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(repository));
		return repository;
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SessionRepositoryCustomizer<ReplicatedSessionRepository> springBootSessionRepositoryCustomizer(
			ObjectProvider<SessionTimeout> sessionTimeout) {
		return (repository) -> sessionTimeout.ifAvailable((timeout) -> PropertyMapper.get()
			.from(timeout::getTimeout)
			.to(repository::setDefaultMaxInactiveInterval));
	}

	@Bean
	SessionReplicationLifecycle sessionReplicationLifecycle(SessionReplicationProperties properties,
			ClusterTransport transport, SessionReplicator replicator, SessionStore store,
			ReplicatedSessionRepository repository, ApplicationEventPublisher eventPublisher,
			ReplicationStatistics statistics) {
		return new SessionReplicationLifecycle(transport, replicator, store, repository, eventPublisher, statistics,
				properties.getStateTransferTimeout(), properties.getCleanupInterval(), properties.getRepairInterval());
	}

	private static String defaultMemberName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "member";
		}
		byte[] suffix = new byte[2];
		ThreadLocalRandom.current().nextBytes(suffix);
		return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-" + HexFormat.of().formatHex(suffix);
	}

}
