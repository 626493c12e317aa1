package io.sessionreplication.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.sessionreplication.cluster.MemberDiscovery;
import io.sessionreplication.cluster.jgroups.JGroupsChannelFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * How a member of the shipped stack finds the others:
 * {@code session.replication.discovery} when it is set, else the discovery that the other
 * properties point to ({@code members}: static, {@code dns.*}: dns, {@code multicast.*}:
 * multicast), else local, on a loopback bind address only. It refuses, naming the
 * properties, a discovery without what it needs (static without members, dns without
 * {@code dns.query}), properties of two discoveries at once, and a bind address off
 * loopback with no discovery chosen. It does not apply to a JGroups stack of the user's
 * own, whose discovery is its own.
 */
final class DiscoveryChoice {

	private static final String PREFIX = "session.replication.";

	private DiscoveryChoice() {
	}

	/**
	 * The discovery the properties choose.
	 * @param properties the properties
	 * @return the discovery
	 * @throws InvalidConfigurationPropertyValueException if they choose none, or
	 * contradict each other
	 */
	static MemberDiscovery of(SessionReplicationProperties properties) {
		List<Hint> hints = hints(properties);
		MemberDiscovery chosen = properties.getDiscovery();
		Hint because = null;
		if (chosen != null) {
			for (Hint hint : hints) {
				if (hint.discovery() != chosen) {
					throw invalid(hint.property(), hint.value(), "it does not apply to " + PREFIX + "discovery="
							+ name(chosen) + ": remove it, or set discovery to " + name(hint.discovery()));
				}
			}
		}
		else if (hints.size() > 1) {
			Hint first = hints.get(0);
			Hint second = hints.get(1);
			throw invalid(second.property(), second.value(),
					"it means " + name(second.discovery()) + " discovery, and " + PREFIX + first.property() + " means "
							+ name(first.discovery()) + " discovery: keep the properties of one, " + "or choose with "
							+ PREFIX + "discovery");
		}
		else if (hints.size() == 1) {
			because = hints.get(0);
			chosen = because.discovery();
		}
		else if (JGroupsChannelFactory.isLoopback(properties.getBindAddress())) {
			chosen = MemberDiscovery.LOCAL;
		}
		else {
			throw invalid("bind-address", properties.getBindAddress(),
					"off loopback, tell how to find the members on the other hosts: set " + PREFIX
							+ "discovery to static (with " + PREFIX + "members), dns (with " + PREFIX
							+ "dns.query) or multicast, or to local for members on this host only");
		}
		String needed = switch (chosen) {
			case STATIC -> properties.getMembers().isEmpty() ? "members, the members to contact as host:port" : null;
			case DNS -> StringUtils.hasText(properties.getDns().getQuery()) ? null
					: "dns.query, the DNS name of the members (for example myapp-headless.myns.svc.cluster.local)";
			case LOCAL, MULTICAST -> null;
		};
		if (needed != null) {
			throw (because != null)
					? invalid(because.property(), because.value(),
							"it means " + name(chosen) + " discovery, which needs " + PREFIX + needed)
					: invalid("discovery", name(chosen), "it needs " + PREFIX + needed);
		}
		return chosen;
	}

	/**
	 * The first property set of each discovery, in the order static, dns, multicast.
	 */
	private static List<Hint> hints(SessionReplicationProperties properties) {
		List<Hint> hints = new ArrayList<>();
		if (!properties.getMembers().isEmpty()) {
			hints.add(new Hint(MemberDiscovery.STATIC, "members", String.join(",", properties.getMembers())));
		}
		SessionReplicationProperties.Dns dns = properties.getDns();
		Hint dnsHint = firstSet(MemberDiscovery.DNS, "dns.query",
				StringUtils.hasText(dns.getQuery()) ? dns.getQuery() : null, "dns.record-type", dns.getRecordType(),
				"dns.server", dns.getServer(), "dns.refresh-period", dns.getRefreshPeriod());
		if (dnsHint != null) {
			hints.add(dnsHint);
		}
		SessionReplicationProperties.Multicast multicast = properties.getMulticast();
		Hint multicastHint = firstSet(MemberDiscovery.MULTICAST, "multicast.group-address", multicast.getGroupAddress(),
				"multicast.port", multicast.getPort(), "multicast.ttl", multicast.getTtl());
		if (multicastHint != null) {
			hints.add(multicastHint);
		}
		return hints;
	}

	/**
	 * The first property set among some of a discovery.
	 * @param discovery the discovery
	 * @param namesAndValues each property's name, then its value or {@code null}
	 */
	private static @Nullable Hint firstSet(MemberDiscovery discovery, @Nullable Object... namesAndValues) {
		for (int i = 0; i < namesAndValues.length; i += 2) {
			Object value = namesAndValues[i + 1];
			if (value != null) {
				return new Hint(discovery, (String) namesAndValues[i], value);
			}
		}
		return null;
	}

	private static String name(MemberDiscovery discovery) {
		return discovery.name().toLowerCase(Locale.ROOT);
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, Object value, String reason) {
		return new InvalidConfigurationPropertyValueException(PREFIX + property, value, reason);
	}

	/**
	 * A property that points to a discovery.
	 *
	 * @param discovery the discovery it points to
	 * @param property its name, after {@code session.replication.}
	 * @param value its value
	 */
	private record Hint(MemberDiscovery discovery, String property, Object value) {
	}

}
