package io.sessionreplication.cluster.jgroups;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.sessionreplication.cluster.DnsRecordType;
import io.sessionreplication.cluster.MemberDiscovery;
import org.jgroups.JChannel;
import org.jgroups.protocols.Discovery;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MPING;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.dns.DNS_PING;
import org.jgroups.stack.IpAddress;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that {@link JGroupsChannelFactory} gives the shipped stack the discovery protocol
 * it is told to, with its settings, and keeps what the shipped discovery sets for every
 * discovery (a joiner asks three times). The channels are built, never connected.
 */
class ShippedStackDiscoveryTests {

	@Test
	void localDiscoveryProbesThePortRangeOnTheBindAddress() throws Exception {
		inspect((factory) -> {
			factory.setBindAddress("127.0.0.3");
			factory.setBindPort(7900);
			factory.setPortRange(4);
		}, (channel) -> {
			TCPPING tcpping = only(channel, TCPPING.class);
			assertThat(tcpping.getInitialHosts()).contains(address("127.0.0.3", 7900), address("127.0.0.3", 7904))
				.doesNotContain(address("127.0.0.3", 7905));
			assertThat(tcpping.getPortRange()).isEqualTo(4);
		});
	}

	@Test
	void staticDiscoveryContactsTheMembersOnTheirPortsOnly() throws Exception {
		inspect((factory) -> {
			factory.setDiscovery(MemberDiscovery.STATIC);
			factory.setMembers(List.of("127.0.0.2:7801", "127.0.0.3:7802"));
		}, (channel) -> {
			TCPPING tcpping = only(channel, TCPPING.class);
			assertThat(tcpping.getInitialHosts()).contains(address("127.0.0.2", 7801), address("127.0.0.3", 7802))
				.extracting((host) -> ((IpAddress) host).getPort())
				.containsOnly(7801, 7802);
			assertThat(tcpping.getPortRange()).isZero();
		});
	}

	@Test
	void dnsDiscoveryAsksTheDnsServerForTheQuery() throws Exception {
		inspect((factory) -> {
			factory.setDiscovery(MemberDiscovery.DNS);
			factory.setDnsQuery("app-headless.ns.svc.cluster.local");
			factory.setDnsRecordType(DnsRecordType.SRV);
			factory.setDnsServer("127.0.0.1:5353");
		}, (channel) -> {
			DNS_PING dns = only(channel, DNS_PING.class);
			assertThat(dns.dnsQuery()).isEqualTo("app-headless.ns.svc.cluster.local");
			assertThat(dns.dnsRecordType()).isEqualTo("SRV");
			assertThat(dns.dnsAddress()).isEqualTo("127.0.0.1:5353");
		});
	}

	@Test
	void dnsDiscoveryAsksForARecordsOfTheSystemResolverUnlessTold() throws Exception {
		inspect((factory) -> {
			factory.setDiscovery(MemberDiscovery.DNS);
			factory.setDnsQuery("app-headless.ns.svc.cluster.local");
		}, (channel) -> {
			DNS_PING dns = only(channel, DNS_PING.class);
			assertThat(dns.dnsRecordType()).isEqualTo("A");
			assertThat(dns.dnsAddress()).isEmpty();
		});
	}

	@Test
	void dnsRefreshPeriodSetsHowOftenTheMembersLookForOthers() throws Exception {
		inspect((factory) -> {
			factory.setDiscovery(MemberDiscovery.DNS);
			factory.setDnsQuery("app-headless.ns.svc.cluster.local");
			factory.setDnsRefreshPeriod(Duration.ofSeconds(4));
		}, (channel) -> {
			MERGE3 merge = channel.getProtocolStack().findProtocol(MERGE3.class);
			assertThat(merge.getMaxInterval()).isEqualTo(4000);
			assertThat(merge.getMinInterval()).isEqualTo(2000);
		});
	}

	@Test
	void withoutARefreshPeriodTheShippedMergeIntervalsStay() throws Exception {
		inspect((factory) -> {
			factory.setDiscovery(MemberDiscovery.DNS);
			factory.setDnsQuery("app-headless.ns.svc.cluster.local");
		}, (channel) -> {
			MERGE3 merge = channel.getProtocolStack().findProtocol(MERGE3.class);
			assertThat(merge.getMaxInterval()).isEqualTo(30_000);
			assertThat(merge.getMinInterval()).isEqualTo(10_000);
		});
	}

	@Test
	void multicastDiscoveryAsksOnTheGroup() throws Exception {
		inspect((factory) -> {
			factory.setDiscovery(MemberDiscovery.MULTICAST);
			factory.setMulticastGroup("239.1.2.3");
			factory.setMulticastPort(45000);
			factory.setMulticastTtl(2);
		}, (channel) -> {
			MPING mping = only(channel, MPING.class);
			assertThat(mping.getMcastAddr()).isEqualTo(InetAddress.getByName("239.1.2.3"));
			assertThat(mping.getMcastPort()).isEqualTo(45000);
			assertThat(mping.getTTL()).isEqualTo(2);
		});
	}

	@Test
	void multicastDiscoveryDefaultsToTheLocalScopeAndTheLocalNetwork() throws Exception {
		inspect((factory) -> factory.setDiscovery(MemberDiscovery.MULTICAST), (channel) -> {
			MPING mping = only(channel, MPING.class);
			assertThat(mping.getMcastAddr()).isEqualTo(InetAddress.getByName("239.255.78.1"));
			assertThat(mping.getMcastPort()).isEqualTo(47800);
			assertThat(mping.getTTL()).isEqualTo(1);
		});
	}

	@Test
	void withTlsTheShippedStackAllowsMulticastDiscoveryOnly() throws Exception {
		inspect((factory) -> {
			factory.setDiscovery(MemberDiscovery.MULTICAST);
			setTls(factory);
		}, (channel) -> {
			only(channel, MPING.class);
			assertThat(((TCP) channel.getProtocolStack().getTransport()).tls().enabled()).isTrue();
		});
		JGroupsChannelFactory ownStack = new JGroupsChannelFactory();
		ownStack.setConfig(new ClassPathResource("mping-stack.xml"));
		ownStack.setDiscovery(MemberDiscovery.MULTICAST);
		setTls(ownStack);
		assertThatExceptionOfType(InvalidStackException.class).isThrownBy(() -> ownStack.createChannel("own"))
			.withMessageContaining("MPING discovers members over UDP multicast, without TLS");
	}

	private static void setTls(JGroupsChannelFactory factory) {
		try {
			factory.setTls(TestTls.memberContext(), null, null);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void inspect(Consumer<JGroupsChannelFactory> settings, ChannelCheck check) throws Exception {
		JGroupsChannelFactory factory = new JGroupsChannelFactory();
		settings.accept(factory);
		try (JChannel channel = factory.createChannel("inspected")) {
			check.check(channel);
			Discovery discovery = channel.getProtocolStack().findProtocol(Discovery.class);
			assertThat(discovery.numDiscoveryRuns()).isEqualTo(3);
		}
	}

	/**
	 * The discovery protocol of a channel, which must be the only one.
	 */
	private static <T extends Discovery> T only(JChannel channel, Class<T> type) {
		assertThat(channel.getProtocolStack().getProtocols()).filteredOn(Discovery.class::isInstance)
			.singleElement()
			.isInstanceOf(type);
		Discovery discovery = channel.getProtocolStack().findProtocol(type);
		return type.cast(discovery);
	}

	private static IpAddress address(String host, int port) {
		try {
			return new IpAddress(host, port);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@FunctionalInterface
	private interface ChannelCheck {

		void check(JChannel channel) throws Exception;

	}

}
