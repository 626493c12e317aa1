package io.sessionreplication.autoconfigure.actuate;

import io.sessionreplication.autoconfigure.SessionReplicationAutoConfiguration;
import io.sessionreplication.autoconfigure.SessionReplicationProperties;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AttributeSerializer;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the
 * {@link SessionReplicationEndpoint}, when Spring Boot's actuator is on the class path,
 * session replication is configured and the endpoint is available (enabled and exposed,
 * as any actuator endpoint: {@code management.endpoints.web.exposure.include}).
 */
@AutoConfiguration(after = SessionReplicationAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(SessionReplicator.class)
@ConditionalOnAvailableEndpoint(SessionReplicationEndpoint.class)
public final class SessionReplicationEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SessionReplicationEndpoint sessionReplicationEndpoint(ClusterTransport transport, SessionStore store,
			SessionReplicator replicator, SessionReplicationProperties properties, ReplicationStatistics statistics,
			AttributeSerializer serializer) {
		return new SessionReplicationEndpoint(transport, store, replicator, properties.getMode(), statistics,
				serializer, properties.getMaxAttributeSize().toBytes(), properties.getMaxSessionSize().toBytes());
	}

}
