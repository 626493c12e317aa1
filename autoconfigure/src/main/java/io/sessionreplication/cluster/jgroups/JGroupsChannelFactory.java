package io.sessionreplication.cluster.jgroups;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

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
 * starter ({@link #DEFAULT_STACK}: TCP, static discovery, fast failure detection, merge,
 * streamed state transfer) and applies the bind address, port, port range and the list of
 * members to contact to it; with none of them set, instances on one machine find each
 * other on 127.0.0.1. A stack of the user's own ({@link #setConfig(Resource)}) is used as
 * it is, with none of those settings applied.
 * <p>
 * With {@link #setTls TLS}, every connection of the transport uses it and both sides must
 * present a certificate that the other trusts; in the shipped stack, failure detection
 * then uses {@code FD_SOCK}, whose sockets come from the transport, instead of
 * {@code FD_SOCK2}, whose sockets would not be encrypted. Without TLS, a channel that
 * would listen off loopback is refused unless {@link #setInsecure insecure} is set.
 * Before it builds a channel, the factory closes JGroups' own Java deserialization (see
 * {@link DeserializationFilter}).
 */
public class JGroupsChannelFactory {

	/** The stack shipped with the starter. */
	public static final String DEFAULT_STACK = "io/sessionreplication/jgroups/tcp.xml";

	private @Nullable Resource config;

	private String bindAddress = "127.0.0.1";

	private int bindPort = 7800;

	private int portRange = 10;

	private List<String> members = List.of();

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
	 * Set the members to contact when joining, as {@code host:port}. Default is empty:
	 * the ports of the port range on the bind address.
	 * @param members the members
	 */
	public void setMembers(List<String> members) {
		this.members = List.copyOf(members);
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

	private static boolean isLoopback(@Nullable String address) {
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
		String unprotected = socketWithoutTls(protocols);
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
	 * @return a description of it, or {@code null} if nothing would
	 */
	private static @Nullable String socketWithoutTls(ProtocolStack protocols) {
		if (!(protocols.getTransport() instanceof TCP)) {
			return "its transport is not TCP";
		}
		if (protocols.findProtocol(FD_SOCK2.class) != null) {
			return "FD_SOCK2 opens sockets without TLS (use FD_SOCK, whose sockets come from the transport)";
		}
		if (protocols.findProtocol(MPING.class) != null) {
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
				}
				case "FD_SOCK2" -> {
					properties.put("bind_addr", this.bindAddress);
					if (this.tlsContext != null) {
						protocols.set(i, new ProtocolConfiguration("FD_SOCK",
								new HashMap<>(Map.of("bind_addr", this.bindAddress))));
					}
				}
				case "TCPPING" -> {
					properties.put("initial_hosts", initialHosts());
					properties.put("port_range", this.members.isEmpty() ? String.valueOf(this.portRange) : "0");
				}
				default -> {
				}
			}
		}
	}

	private String initialHosts() {
		if (this.members.isEmpty()) {
			return this.bindAddress + "[" + this.bindPort + "]";
		}
		return this.members.stream().map(JGroupsChannelFactory::toJGroupsHost).collect(Collectors.joining(","));
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
