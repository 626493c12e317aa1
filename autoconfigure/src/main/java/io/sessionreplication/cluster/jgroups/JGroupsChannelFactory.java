package io.sessionreplication.cluster.jgroups;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import io.sessionreplication.cluster.DnsRecordType;
import io.sessionreplication.cluster.MemberDiscovery;
import org.jgroups.JChannel;
import org.jgroups.conf.ConfiguratorFactory;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.ProtocolStackConfigurator;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.MPING;
import org.jgroups.protocols.NAKACK4;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STATE;
import org.jgroups.protocols.pbcast.STATE_SOCK;
import org.jgroups.protocols.pbcast.STATE_TRANSFER;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.TLS;
import org.jgroups.util.TLSClientAuth;
import org.jgroups.util.Util;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * Builds the JGroups channel of a member. By default it uses the stack shipped with the
 * starter ({@link #DEFAULT_STACK}: TCP, discovery, fast failure detection, merge,
 * streamed state transfer) and applies the bind address, port, port range and the
 * {@link #setDiscovery discovery} of the other members to it: the port range on the bind
 * address ({@code TCPPING}, the default, so that instances on one machine find each other
 * on 127.0.0.1), a list of members ({@code TCPPING}), DNS ({@code DNS_PING}) or IP
 * multicast ({@code MPING}). A stack of the user's own ({@link #setConfig(Resource)}) is
 * used as it is, with none of those settings applied. The factory does not check that the
 * settings agree with each other (members listed for DNS discovery, say): the
 * auto-configuration does.
 * <p>
 * With {@link #setTls TLS}, every connection of the transport uses it and both sides must
 * present a certificate that the other trusts; in the shipped stack, failure detection
 * then uses {@code FD_SOCK}, whose sockets come from the transport, instead of
 * {@code FD_SOCK2}, whose sockets would not be encrypted. Multicast discovery is the one
 * exception the shipped stack allows: its requests (the cluster name, the sender's name
 * and addresses) travel in the clear, while the answers and everything else travel over
 * the transport, where TLS decides who is a member. Without TLS, a channel that would
 * listen off loopback is refused unless {@link #setInsecure insecure} is set. Before it
 * builds a channel, the factory closes JGroups' own Java deserialization (see
 * {@link DeserializationFilter}).
 */
public class JGroupsChannelFactory {

	/** The stack shipped with the starter. */
	public static final String DEFAULT_STACK = "io/sessionreplication/jgroups/tcp.xml";

	private @Nullable Resource config;

	private String bindAddress = "127.0.0.1";

	private int bindPort = 7800;

	private int portRange = 10;

	private MemberDiscovery discovery = MemberDiscovery.LOCAL;

	private List<String> members = List.of();

	private String dnsQuery = "";

	private DnsRecordType dnsRecordType = DnsRecordType.A;

	private @Nullable String dnsServer;

	private @Nullable Duration dnsRefreshPeriod;

	/**
	 * In the local scope of administratively scoped groups (RFC 2365), which routers do
	 * not forward beyond a site, and unlike JGroups' own defaults, so that the traffic of
	 * another JGroups application does not reach it.
	 */
	private String multicastGroup = "239.255.78.1";

	private int multicastPort = 47800;

	/** The local network only. */
	private int multicastTtl = 1;

	private @Nullable SSLContext tlsContext;

	private String @Nullable [] tlsProtocols;

	private String @Nullable [] tlsCipherSuites;

	private boolean insecure;

	/**
	 * Use a stack of the user's own instead of the shipped one.
	 * @param config the stack XML, or {@code null} for the shipped stack
	 */
	public void setConfig(@Nullable Resource config) {
		this.config = config;
	}

	/**
	 * Set the address the shipped stack listens on. Default is 127.0.0.1.
	 * @param bindAddress an address or host name, or a JGroups keyword such as
	 * {@code site_local}
	 */
	public void setBindAddress(String bindAddress) {
		this.bindAddress = bindAddress;
	}

	/**
	 * Set the first port the shipped stack tries. Default is 7800.
	 * @param bindPort the port
	 */
	public void setBindPort(int bindPort) {
		this.bindPort = bindPort;
	}

	/**
	 * Set how many ports above the bind port are tried, and probed to discover the other
	 * members on the same host. Default is 10.
	 * @param portRange the number of extra ports
	 */
	public void setPortRange(int portRange) {
		this.portRange = portRange;
	}

	/**
	 * Set how the shipped stack finds the other members. Default is
	 * {@link MemberDiscovery#LOCAL}: the ports of the port range on the bind address.
	 * @param discovery the discovery, whose settings are those of {@link #setMembers},
	 * {@code setDns...} or {@code setMulticast...}
	 */
	public void setDiscovery(MemberDiscovery discovery) {
		this.discovery = discovery;
	}

	/**
	 * Set the members to contact when joining, as {@code host:port}, for
	 * {@link MemberDiscovery#STATIC static discovery}.
	 * @param members the members
	 */
	public void setMembers(List<String> members) {
		this.members = List.copyOf(members);
	}

	/**
	 * Set the DNS name of the members, for {@link MemberDiscovery#DNS DNS discovery}.
	 * Every discovery asks again: each join attempt and each check for partitions to
	 * merge.
	 * @param query the name (or several, separated by commas)
	 */
	public void setDnsQuery(String query) {
		this.dnsQuery = query;
	}

	/**
	 * Set which records of the DNS name name the members. Default is A: their addresses,
	 * each probed on the ports of the port range; the targets of SRV records are probed
	 * on their record's port.
	 * @param recordType the type of the records
	 */
	public void setDnsRecordType(DnsRecordType recordType) {
		this.dnsRecordType = recordType;
	}

	/**
	 * Set the DNS server that DNS discovery asks. Default is none: the system's resolver.
	 * @param server the server, {@code host} or {@code host:port}
	 */
	public void setDnsServer(String server) {
		this.dnsServer = server;
	}

	/**
	 * Set how often, on average, DNS discovery asks DNS again for members outside the
	 * view: the shipped {@code MERGE3} checks for partitions to merge at a random moment
	 * between half of it and one and a half of it, each check asking the discovery.
	 * Default is none: the shipped stack's 30 s.
	 * @param period the period
	 */
	public void setDnsRefreshPeriod(Duration period) {
		this.dnsRefreshPeriod = period;
	}

	/**
	 * Set the group of {@link MemberDiscovery#MULTICAST multicast discovery}, joined on
	 * the network interface of the bind address. Default is 239.255.78.1.
	 * @param group the multicast address
	 */
	public void setMulticastGroup(String group) {
		this.multicastGroup = group;
	}

	/**
	 * Set the UDP port of multicast discovery. Default is 47800.
	 * @param port the port
	 */
	public void setMulticastPort(int port) {
		this.multicastPort = port;
	}

	/**
	 * Set the time to live of multicast discovery requests: how many routers they may
	 * cross, plus one. Default is 1.
	 * @param ttl the time to live
	 */
	public void setMulticastTtl(int ttl) {
		this.multicastTtl = ttl;
	}

	/**
	 * Encrypt and authenticate every connection with TLS, requiring a certificate of the
	 * peer on both sides. The context's trust material decides which members are let in.
	 * @param context the TLS context, with this member's key and the cluster's trust
	 * material
	 * @param protocols the TLS protocols to enable, or {@code null} for the context's
	 * default
	 * @param cipherSuites the cipher suites to enable, or {@code null} for the context's
	 * default
	 */
	public void setTls(SSLContext context, String @Nullable [] protocols, String @Nullable [] cipherSuites) {
		this.tlsContext = context;
		this.tlsProtocols = protocols;
		this.tlsCipherSuites = cipherSuites;
	}

	/**
	 * Let the member listen off loopback without TLS, for a network that authenticates
	 * and encrypts by itself (a service mesh with mutual TLS, for example). Default is
	 * false.
	 * @param insecure whether to allow it
	 */
	public void setInsecure(boolean insecure) {
		this.insecure = insecure;
	}

	/**
	 * Build a channel, not connected yet, whose address carries the member name (see
	 * {@link MemberNames}).
	 * @param memberName the name of this member
	 * @return the channel
	 * @throws InvalidStackException if the stack cannot be read or is not valid, or, for
	 * the shipped stack, if the settings make it invalid (an address this host does not
	 * have, for example), or if it cannot carry TLS
	 * @throws UnprotectedTransportException if the channel would listen off loopback with
	 * neither TLS nor {@link #setInsecure insecure}
	 */
	public JChannel createChannel(String memberName) {
		DeserializationFilter.install();
		boolean shipped = this.config == null;
		Resource stack = shipped ? new ClassPathResource(DEFAULT_STACK) : this.config;
		InputStream in;
		try {
			in = stack.getInputStream();
		}
		catch (IOException ex) {
			throw new InvalidStackException(stack.toString(), shipped, "it cannot be read: " + ex.getMessage(), ex);
		}
		try (in) {
			ProtocolStackConfigurator configurator = ConfiguratorFactory.getStackConfigurator(in);
			List<ProtocolConfiguration> protocols = configurator.getProtocolStack();
			if (shipped) {
				applySettings(protocols);
			}
			requireProtection(protocols, stack);
			JChannel channel = new JChannel(configurator).name(memberName);
			channel.addAddressGenerator(MemberNames.addressGenerator(memberName));
			requireProtocols(channel, stack, shipped);
			if (this.tlsContext != null) {
				applyTls(channel, stack, shipped);
			}
			return channel;
		}
		catch (InvalidStackException | UnprotectedTransportException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new InvalidStackException(stack.toString(), shipped, String.valueOf(ex.getMessage()), ex);
		}
	}

	/**
	 * Refuse a stack that would start but never replicate: JGroups reads some malformed
	 * files as a partial stack without complaint.
	 */
	private static void requireProtocols(JChannel channel, Resource stack, boolean shipped) {
		ProtocolStack protocols = channel.getProtocolStack();
		String missing = (protocols.findProtocol(GMS.class) == null) ? "pbcast.GMS (membership)"
				: (protocols.findProtocol(NAKACK2.class, NAKACK4.class) == null)
						? "pbcast.NAKACK2 or NAKACK4 (reliable delivery)"
						: (protocols.findProtocol(STATE.class, STATE_SOCK.class, STATE_TRANSFER.class) == null)
								? "pbcast.STATE, STATE_SOCK or pbcast.STATE_TRANSFER (state transfer)" : null;
		if (missing != null) {
			channel.close();
			throw new InvalidStackException(stack.toString(), shipped, "it has no " + missing, null);
		}
	}

	/**
	 * Refuse a transport that would listen off loopback with neither TLS nor the opt-out.
	 * Checked on the stack's configuration, before anything is bound: the bind address of
	 * the transport (the first protocol), where a JGroups keyword ({@code site_local},
	 * {@code match-interface:...}) other than {@code loopback}, or no address at all,
	 * counts as off loopback.
	 */
	private void requireProtection(List<ProtocolConfiguration> protocols, Resource stack) {
		String bindAddress = protocols.isEmpty() ? null
				: Util.substituteVariable(protocols.get(0).getProperties().get("bind_addr"));
		if (!isLoopback(bindAddress) && this.tlsContext == null && !this.insecure) {
			throw new UnprotectedTransportException(
					(bindAddress != null) ? bindAddress : "the address JGroups picks (the stack names none)",
					stack.toString());
		}
	}

	/**
	 * Whether an address is one of this host's loopback addresses.
	 * @param address an address or host name, {@code loopback} (JGroups' keyword), or
	 * {@code null}
	 * @return whether it is loopback; {@code false} for a name that does not resolve,
	 * another JGroups keyword, or {@code null}
	 */
	public static boolean isLoopback(@Nullable String address) {
		if (address == null) {
			return false;
		}
		if (address.equals("loopback")) {
			return true;
		}
		try {
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * Turn TLS on in the transport, refusing a stack in which some socket would not use
	 * it.
	 */
	private void applyTls(JChannel channel, Resource stack, boolean shipped) {
		ProtocolStack protocols = channel.getProtocolStack();
		String unprotected = socketWithoutTls(protocols, shipped && this.discovery == MemberDiscovery.MULTICAST);
		if (unprotected != null) {
			channel.close();
			throw new InvalidStackException(stack.toString(), shipped, "it cannot use TLS: " + unprotected, null);
		}
		TLS tls = ((TCP) protocols.getTransport()).tls();
		tls.enabled(true).setClientAuth(TLSClientAuth.NEED).setSSLContext(this.tlsContext);
		if (this.tlsProtocols != null) {
			tls.setProtocols(this.tlsProtocols);
		}
		if (this.tlsCipherSuites != null) {
			tls.setCipherSuites(this.tlsCipherSuites);
		}
	}

	/**
	 * What in a stack would open a socket that TLS in the transport does not cover.
	 * @param multicastDiscovery whether multicast discovery was asked for, and so is
	 * allowed
	 * @return a description of it, or {@code null} if nothing would
	 */
	private static @Nullable String socketWithoutTls(ProtocolStack protocols, boolean multicastDiscovery) {
		if (!(protocols.getTransport() instanceof TCP)) {
			return "its transport is not TCP";
		}
		if (protocols.findProtocol(FD_SOCK2.class) != null) {
			return "FD_SOCK2 opens sockets without TLS (use FD_SOCK, whose sockets come from the transport)";
		}
		if (protocols.findProtocol(MPING.class) != null && !multicastDiscovery) {
			return "MPING discovers members over UDP multicast, without TLS";
		}
		if (protocols.getTransport().getDiagnosticsHandler().isEnabled()) {
			return "diagnostics (diag.enabled) open sockets without TLS";
		}
		return null;
	}

	private void applySettings(List<ProtocolConfiguration> protocols) {
		for (int i = 0; i < protocols.size(); i++) {
			ProtocolConfiguration protocol = protocols.get(i);
			Map<String, String> properties = protocol.getProperties();
			switch (protocol.getProtocolName()) {
				case "TCP" -> {
					properties.put("bind_addr", this.bindAddress);
					properties.put("bind_port", String.valueOf(this.bindPort));
					properties.put("port_range", String.valueOf(this.portRange));
					protocols.set(i, new ProtocolConfiguration(BackgroundClosingTcp.class.getName(), properties));
				}
				case "FD_SOCK2" -> {
					properties.put("bind_addr", this.bindAddress);
					if (this.tlsContext != null) {
						protocols.set(i, failureDetectionOverTls(properties));
					}
				}
				case "TCPPING" -> protocols.set(i, discovery(properties));
				case "MERGE3" -> {
					if (this.discovery == MemberDiscovery.DNS && this.dnsRefreshPeriod != null) {
						// MERGE3 waits between max(min_interval, max_interval / 2) and
						// max_interval * 1.5, and without multicast asks the discovery
						long period = this.dnsRefreshPeriod.toMillis();
						properties.put("max_interval", String.valueOf(period));
						properties.put("min_interval", String.valueOf(period / 2));
					}
				}
				default -> {
				}
			}
		}
	}

	/**
	 * {@code FD_SOCK} in place of the shipped {@code FD_SOCK2}, whose sockets would not
	 * carry TLS, listening on the ports {@code FD_SOCK2} would take (the transport's port
	 * range, 100 above), so that the ports to open stay the same with TLS.
	 */
	private ProtocolConfiguration failureDetectionOverTls(Map<String, String> fdSock2) {
		Map<String, String> properties = new HashMap<>(Map.of("bind_addr", this.bindAddress));
		if (this.bindPort > 0) {
			int offset = Integer.parseInt(fdSock2.get("offset"));
			int range = Integer.parseInt(fdSock2.get("port_range"));
			properties.put("start_port", String.valueOf(this.bindPort + offset));
			properties.put("port_range", String.valueOf(this.portRange + range));
		}
		return new ProtocolConfiguration("FD_SOCK", properties);
	}

	/**
	 * The discovery protocol in place of the shipped {@code TCPPING}, with the settings
	 * that all discovery protocols share (how often a joiner asks, what a member answers)
	 * kept from it.
	 */
	private ProtocolConfiguration discovery(Map<String, String> tcpping) {
		Map<String, String> properties = new HashMap<>(tcpping);
		properties.remove("initial_hosts");
		properties.remove("port_range");
		String protocol = switch (this.discovery) {
			case LOCAL -> {
				properties.put("initial_hosts", this.bindAddress + "[" + this.bindPort + "]");
				properties.put("port_range", String.valueOf(this.portRange));
				yield "TCPPING";
			}
			case STATIC -> {
				properties.put("initial_hosts",
						this.members.stream()
							.map(JGroupsChannelFactory::toJGroupsHost)
							.collect(Collectors.joining(",")));
				properties.put("port_range", "0");
				yield "TCPPING";
			}
			case DNS -> {
				properties.put("dns_query", this.dnsQuery);
				properties.put("dns_record_type", this.dnsRecordType.name());
				if (this.dnsServer != null) {
					properties.put("dns_address", this.dnsServer);
				}
				yield "dns.DNS_PING";
			}
			case MULTICAST -> {
				properties.put("mcast_addr", this.multicastGroup);
				properties.put("mcast_port", String.valueOf(this.multicastPort));
				properties.put("ip_ttl", String.valueOf(this.multicastTtl));
				yield "MPING";
			}
		};
		return new ProtocolConfiguration(protocol, properties);
	}

	/**
	 * Turn a member given as {@code host:port} into JGroups' {@code host[port]}.
	 * @param member the member
	 * @return the member in JGroups' notation
	 * @throws IllegalArgumentException if the member is not a host and a port from 1 to
	 * 65535
	 */
	public static String toJGroupsHost(String member) {
		int colon = member.lastIndexOf(':');
		String port = (colon > 0) ? member.substring(colon + 1) : "";
		if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
			throw new IllegalArgumentException("'" + member + "' is not host:port, for example 10.0.0.5:7800");
		}
		return member.substring(0, colon) + "[" + port + "]";
	}

}
