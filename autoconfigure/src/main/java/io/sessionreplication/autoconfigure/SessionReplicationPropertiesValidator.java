package io.sessionreplication.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import io.sessionreplication.cluster.jgroups.JGroupsChannelFactory;
import io.sessionreplication.wire.ClassPatterns;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Fails fast, naming the property, on values that bind but make no sense, and on
 * discovery properties that contradict each other (see {@link DiscoveryChoice}). Values
 * that do not bind at all (an unknown mode, a malformed duration) are already reported by
 * Spring Boot's binder.
 */
class SessionReplicationPropertiesValidator {

	private static final String PREFIX = "session.replication.";

	/** The shortest DNS refresh period: each member asks DNS about once per period. */
	private static final Duration MIN_DNS_REFRESH_PERIOD = Duration.ofSeconds(1);

	void validate(SessionReplicationProperties properties) {
		requirePositive("ack-timeout", properties.getAckTimeout());
		requirePositive("state-transfer-timeout", properties.getStateTransferTimeout());
		requirePositive("cleanup-interval", properties.getCleanupInterval());
		if (properties.getRepairInterval().isNegative()) {
			throw invalid("repair-interval", properties.getRepairInterval(),
					"it must be positive, or 0 to turn the comparison of copies off");
		}
		if (properties.getBackupCount() < 1) {
			throw invalid("backup-count", properties.getBackupCount(), "a session needs at least one backup");
		}
		if (properties.getBindPort() < 0 || properties.getBindPort() > 65535) {
			throw invalid("bind-port", properties.getBindPort(), "a port is between 0 and 65535");
		}
		if (properties.getPortRange() < 0) {
			throw invalid("port-range", properties.getPortRange(), "the port range cannot be negative");
		}
		requirePositive("max-attribute-size", properties.getMaxAttributeSize().toBytes());
		requirePositive("max-session-size", properties.getMaxSessionSize().toBytes());
		requirePositive("events.queue-capacity", properties.getEvents().getQueueCapacity());
		requirePositive("reactive.max-threads", properties.getReactive().getMaxThreads());
		requirePositive("reactive.queue-capacity", properties.getReactive().getQueueCapacity());
		requirePositive("max-removals-remembered", properties.getMaxRemovalsRemembered());
		requirePositive("min-removal-memory", properties.getMinRemovalMemory());
		Integer maxSessions = properties.getMaxSessions();
		if (maxSessions != null) {
			requirePositive("max-sessions", maxSessions);
		}
		if (properties.getMaxClockSkew().isNegative()) {
			throw invalid("max-clock-skew", properties.getMaxClockSkew(), "a clock skew cannot be negative");
		}
		SessionReplicationProperties.Serialization serialization = properties.getSerialization();
		requireClassPatterns("serialization.allowed-classes", serialization.getAllowedClasses());
		requireClassPatterns("serialization.denied-classes", serialization.getDeniedClasses());
		requireClassPatterns("immutable-classes", properties.getImmutableClasses());
		requirePositive("serialization.max-depth", serialization.getMaxDepth());
		requirePositive("serialization.max-references", serialization.getMaxReferences());
		requirePositive("serialization.max-array-length", serialization.getMaxArrayLength());
		requirePositive("serialization.max-bytes", serialization.getMaxBytes().toBytes());
		for (String member : properties.getMembers()) {
			requireHostAndPort("members", member);
		}
		String dnsServer = properties.getDns().getServer();
		if (dnsServer != null && dnsServer.contains(":")) {
			requireHostAndPort("dns.server", dnsServer);
		}
		Duration refreshPeriod = properties.getDns().getRefreshPeriod();
		if (refreshPeriod != null && refreshPeriod.compareTo(MIN_DNS_REFRESH_PERIOD) < 0) {
			throw invalid("dns.refresh-period", refreshPeriod,
					"it must be at least " + MIN_DNS_REFRESH_PERIOD.toSeconds() + "s, not to flood DNS with queries");
		}
		SessionReplicationProperties.Multicast multicast = properties.getMulticast();
		if (multicast.getGroupAddress() != null) {
			requireMulticastGroup(multicast.getGroupAddress());
		}
		if (multicast.getPort() != null && (multicast.getPort() < 1 || multicast.getPort() > 65535)) {
			throw invalid("multicast.port", multicast.getPort(), "a port is between 1 and 65535");
		}
		if (multicast.getTtl() != null && (multicast.getTtl() < 0 || multicast.getTtl() > 255)) {
			throw invalid("multicast.ttl", multicast.getTtl(), "a time to live is between 0 and 255");
		}
		if (properties.getJgroups().getConfig() == null) {
			DiscoveryChoice.of(properties);
		}
	}

	private static void requireHostAndPort(String name, String value) {
		try {
			JGroupsChannelFactory.toJGroupsHost(value);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(name, value, ex.getMessage());
		}
	}

	private static void requireMulticastGroup(String group) {
		boolean multicast;
		try {
			multicast = InetAddress.getByName(group).isMulticastAddress();
		}
		catch (UnknownHostException ex) {
			multicast = false;
		}
		if (!multicast) {
			throw invalid("multicast.group-address", group,
					"it is not a multicast address (224.0.0.0 to 239.255.255.255, or ff00::/8)");
		}
	}

	private static void requireClassPatterns(String name, List<String> patterns) {
		for (String pattern : patterns) {
			try {
				ClassPatterns.requirePattern(pattern);
			}
			catch (IllegalArgumentException ex) {
				throw invalid(name, pattern, ex.getMessage());
			}
		}
	}

	private static void requirePositive(String name, long value) {
		if (value <= 0) {
			throw invalid(name, value, "it must be positive");
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
