package io.sessionreplication.autoconfigure.health;

import io.sessionreplication.autoconfigure.SessionReplicationAutoConfiguration;
import io.sessionreplication.autoconfigure.SessionReplicationProperties;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionReplicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the
 * {@link SessionReplicationHealthIndicator}, the {@code sessionReplication} health
 * contributor, when Spring Boot's health support is on the class path, session
 * replication is configured, and {@code management.health.sessionreplication.enabled} is
 * not {@code false}.
 */
@AutoConfiguration(after = SessionReplicationAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(SessionReplicator.class)
@ConditionalOnEnabledHealthIndicator("sessionreplication")
public final class SessionReplicationHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "sessionReplicationHealthIndicator")
	SessionReplicationHealthIndicator sessionReplicationHealthIndicator(ClusterTransport transport,
			SessionReplicator replicator, SessionReplicationProperties properties, ReplicationStatistics statistics) {
		return new SessionReplicationHealthIndicator(transport, replicator, properties.getMode(), statistics);
	}

}
