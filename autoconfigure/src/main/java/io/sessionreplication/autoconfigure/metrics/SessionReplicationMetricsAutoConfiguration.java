package io.sessionreplication.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.sessionreplication.autoconfigure.SessionReplicationAutoConfiguration;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.metrics.SessionReplicationMetrics;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AttributeSerializer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the
 * {@link SessionReplicationMetrics}, when Micrometer is on the class path, a
 * {@link MeterRegistry} is configured (as Spring Boot's actuator does) and session
 * replication is configured. Spring Boot binds it to the registry.
 */
@AutoConfiguration(after = SessionReplicationAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, SessionReplicator.class })
public final class SessionReplicationMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SessionReplicationMetrics sessionReplicationMetrics(ReplicationStatistics statistics, SessionReplicator replicator,
			ClusterTransport transport, AttributeSerializer serializer, SessionStore store) {
		return new SessionReplicationMetrics(statistics, replicator, transport, serializer, store);
	}

}
