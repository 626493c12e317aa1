package io.sessionreplication.autoconfigure;

import java.time.Duration;

import io.sessionreplication.cluster.jgroups.JGroupsChannelFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Fails fast, naming the property, on values that bind but make no sense. Values that do
 * not bind at all (an unknown mode, a malformed duration) are already reported by Spring
 * Boot's binder.
 */
class SessionReplicationPropertiesValidator {

	private static final String PREFIX = "session.replication.";

	void validate(SessionReplicationProperties properties) {
		requirePositive("ack-timeout", properties.getAckTimeout());
		requirePositive("state-transfer-timeout", properties.getStateTransferTimeout());
		requirePositive("cleanup-interval", properties.getCleanupInterval());
		if (properties.getBackupCount() < 1) {
			throw invalid("backup-count", properties.getBackupCount(), "a session needs at least one backup");
		}
		if (properties.getBindPort() < 0 || properties.getBindPort() > 65535) {
			throw invalid("bind-port", properties.getBindPort(), "a port is between 0 and 65535");
		}
		if (properties.getPortRange() < 0) {
			throw invalid("port-range", properties.getPortRange(), "the port range cannot be negative");
		}
		for (String member : properties.getMembers()) {
			try {
				JGroupsChannelFactory.toJGroupsHost(member);
			}
			catch (IllegalArgumentException ex) {
				throw invalid("members", member, ex.getMessage());
			}
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw invalid(name, value, "it must be positive");
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String name, Object value, String reason) {
		return new InvalidConfigurationPropertyValueException(PREFIX + name, value, reason);
	}

}
