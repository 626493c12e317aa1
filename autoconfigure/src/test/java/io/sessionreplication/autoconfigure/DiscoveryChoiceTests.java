package io.sessionreplication.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.sessionreplication.cluster.DnsRecordType;
import io.sessionreplication.cluster.MemberDiscovery;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DiscoveryChoice}: the discovery each combination of properties
 * chooses, and the combinations it refuses, naming the properties.
 */
class DiscoveryChoiceTests {

	@Test
	void nothingSetOnLoopbackMeansLocal() {
		assertThat(choose((properties) -> {
		})).isEqualTo(MemberDiscovery.LOCAL);
		assertThat(choose((properties) -> properties.setBindAddress("127.0.0.2"))).isEqualTo(MemberDiscovery.LOCAL);
	}

	@Test
	void membersMeanStatic() {
		assertThat(choose((properties) -> properties.setMembers(List.of("10.0.0.5:7800"))))
			.isEqualTo(MemberDiscovery.STATIC);
	}

	@Test
	void aDnsQueryMeansDns() {
		assertThat(choose((properties) -> properties.getDns().setQuery("app-headless.ns.svc.cluster.local")))
			.isEqualTo(MemberDiscovery.DNS);
		assertThat(choose((properties) -> {
			properties.getDns().setQuery("app-headless.ns.svc.cluster.local");
			properties.getDns().setRecordType(DnsRecordType.SRV);
			properties.getDns().setServer("10.96.0.10");
			properties.getDns().setRefreshPeriod(Duration.ofSeconds(5));
		})).isEqualTo(MemberDiscovery.DNS);
	}

	@Test
	void aDnsRefreshPeriodAloneMeansDnsWhichNeedsAQuery() {
		assertRefused((properties) -> properties.getDns().setRefreshPeriod(Duration.ofSeconds(5)), "dns.refresh-period",
				Duration.ofSeconds(5), "it means dns discovery, which needs session.replication.dns.query");
	}

	@Test
	void anyMulticastPropertyMeansMulticast() {
		assertThat(choose((properties) -> properties.getMulticast().setGroupAddress("239.1.2.3")))
			.isEqualTo(MemberDiscovery.MULTICAST);
		assertThat(choose((properties) -> properties.getMulticast().setPort(45000)))
			.isEqualTo(MemberDiscovery.MULTICAST);
		assertThat(choose((properties) -> properties.getMulticast().setTtl(2))).isEqualTo(MemberDiscovery.MULTICAST);
	}

	@Test
	void offLoopbackWhatIsSetStillChooses() {
		assertThat(choose((properties) -> {
			properties.setBindAddress("192.0.2.1");
			properties.setMembers(List.of("192.0.2.1:7800", "192.0.2.2:7800"));
		})).isEqualTo(MemberDiscovery.STATIC);
		assertThat(choose((properties) -> {
			properties.setBindAddress("192.0.2.1");
			properties.getMulticast().setTtl(1);
		})).isEqualTo(MemberDiscovery.MULTICAST);
	}

	@Test
	void aDiscoverySetWithWhatItNeedsIsChosen() {
		assertThat(choose((properties) -> properties.setDiscovery(MemberDiscovery.LOCAL)))
			.isEqualTo(MemberDiscovery.LOCAL);
		assertThat(choose((properties) -> {
			properties.setBindAddress("192.0.2.1");
			properties.setDiscovery(MemberDiscovery.LOCAL);
		})).isEqualTo(MemberDiscovery.LOCAL);
		assertThat(choose((properties) -> {
			properties.setDiscovery(MemberDiscovery.STATIC);
			properties.setMembers(List.of("127.0.0.1:7800"));
		})).isEqualTo(MemberDiscovery.STATIC);
		assertThat(choose((properties) -> {
			properties.setDiscovery(MemberDiscovery.DNS);
			properties.getDns().setQuery("members.example");
			properties.getDns().setServer("127.0.0.1:5353");
		})).isEqualTo(MemberDiscovery.DNS);
		assertThat(choose((properties) -> properties.setDiscovery(MemberDiscovery.MULTICAST)))
			.isEqualTo(MemberDiscovery.MULTICAST);
		assertThat(choose((properties) -> {
			properties.setDiscovery(MemberDiscovery.MULTICAST);
			properties.getMulticast().setGroupAddress("239.1.2.3");
		})).isEqualTo(MemberDiscovery.MULTICAST);
	}

	@Test
	void offLoopbackWithNothingSetAsksForADiscovery() {
		assertRefused((properties) -> properties.setBindAddress("192.0.2.1"), "bind-address", "192.0.2.1",
				"off loopback, tell how to find the members on the other hosts: set session.replication.discovery "
						+ "to static (with session.replication.members), dns (with session.replication.dns.query) "
						+ "or multicast");
	}

	@Test
	void aDiscoveryWithoutWhatItNeedsNamesWhatIsMissing() {
		assertRefused((properties) -> properties.setDiscovery(MemberDiscovery.STATIC), "discovery", "static",
				"it needs session.replication.members");
		assertRefused((properties) -> properties.setDiscovery(MemberDiscovery.DNS), "discovery", "dns",
				"it needs session.replication.dns.query");
		assertRefused((properties) -> {
			properties.setDiscovery(MemberDiscovery.DNS);
			properties.getDns().setQuery(" ");
		}, "discovery", "dns", "it needs session.replication.dns.query");
	}

	@Test
	void dnsPropertiesWithoutAQueryNameTheQuery() {
		assertRefused((properties) -> properties.getDns().setRecordType(DnsRecordType.SRV), "dns.record-type",
				DnsRecordType.SRV, "it means dns discovery, which needs session.replication.dns.query");
		assertRefused((properties) -> properties.getDns().setServer("127.0.0.1"), "dns.server", "127.0.0.1",
				"it means dns discovery, which needs session.replication.dns.query");
	}

	@Test
	void propertiesOfAnotherDiscoveryThanTheOneSetAreRefused() {
		assertRefused((properties) -> {
			properties.setDiscovery(MemberDiscovery.DNS);
			properties.getDns().setQuery("members.example");
			properties.setMembers(List.of("10.0.0.5:7800", "10.0.0.6:7800"));
		}, "members", "10.0.0.5:7800,10.0.0.6:7800",
				"it does not apply to session.replication.discovery=dns: remove it, or set discovery to static");
		assertRefused((properties) -> {
			properties.setDiscovery(MemberDiscovery.LOCAL);
			properties.getDns().setQuery("members.example");
		}, "dns.query", "members.example", "it does not apply to session.replication.discovery=local");
		assertRefused((properties) -> {
			properties.setDiscovery(MemberDiscovery.MULTICAST);
			properties.setMembers(List.of("10.0.0.5:7800"));
		}, "members", "10.0.0.5:7800", "it does not apply to session.replication.discovery=multicast");
		assertRefused((properties) -> {
			properties.setDiscovery(MemberDiscovery.STATIC);
			properties.setMembers(List.of("10.0.0.5:7800"));
			properties.getMulticast().setGroupAddress("239.1.2.3");
		}, "multicast.group-address", "239.1.2.3",
				"it does not apply to session.replication.discovery=static: remove it, or set discovery to multicast");
	}

	@Test
	void propertiesOfTwoDiscoveriesAreRefused() {
		assertRefused((properties) -> {
			properties.setMembers(List.of("10.0.0.5:7800"));
			properties.getDns().setQuery("members.example");
		}, "dns.query", "members.example", "it means dns discovery, and session.replication.members means static "
				+ "discovery: keep the properties of one, or choose with session.replication.discovery");
		assertRefused((properties) -> {
			properties.setMembers(List.of("10.0.0.5:7800"));
			properties.getMulticast().setPort(45000);
		}, "multicast.port", 45000, "and session.replication.members means static discovery");
		assertRefused((properties) -> {
			properties.getDns().setServer("127.0.0.1");
			properties.getMulticast().setTtl(2);
		}, "multicast.ttl", 2, "and session.replication.dns.server means dns discovery");
	}

	private static MemberDiscovery choose(Consumer<SessionReplicationProperties> settings) {
		SessionReplicationProperties properties = new SessionReplicationProperties();
		settings.accept(properties);
		return DiscoveryChoice.of(properties);
	}

	private static void assertRefused(Consumer<SessionReplicationProperties> settings, String property, Object value,
			String reason) {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> choose(settings))
			.satisfies((ex) -> {
				assertThat(ex.getName()).isEqualTo("session.replication." + property);
				assertThat(ex.getValue()).isEqualTo(value);
				assertThat(ex.getReason()).contains(reason);
			});
	}

}
