package io.sessionreplication.cluster.jgroups;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jgroups.JChannel;
import org.jgroups.conf.ConfiguratorFactory;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.ProtocolStackConfigurator;
import org.jgroups.protocols.NAKACK4;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STATE;
import org.jgroups.protocols.pbcast.STATE_SOCK;
import org.jgroups.protocols.pbcast.STATE_TRANSFER;
import org.jgroups.stack.ProtocolStack;
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
 */
public class JGroupsChannelFactory {

	/** The stack shipped with the starter. */
	public static final String DEFAULT_STACK = "io/sessionreplication/jgroups/tcp.xml";

	private @Nullable Resource config;

	private String bindAddress = "127.0.0.1";

	private int bindPort = 7800;

	private int portRange = 10;

	private List<String> members = List.of();

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
	 * Build a channel, not connected yet, whose address carries the member name (see
	 * {@link MemberNames}).
	 * @param memberName the name of this member
	 * @return the channel
	 * @throws InvalidStackException if the stack cannot be read or is not valid, or, for
	 * the shipped stack, if the settings make it invalid (an address this host does not
	 * have, for example)
	 */
	public JChannel createChannel(String memberName) {
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
			if (shipped) {
				applySettings(configurator.getProtocolStack());
			}
			JChannel channel = new JChannel(configurator).name(memberName);
			channel.addAddressGenerator(MemberNames.addressGenerator(memberName));
			requireProtocols(channel, stack, shipped);
			return channel;
		}
		catch (InvalidStackException ex) {
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

	private void applySettings(List<ProtocolConfiguration> protocols) {
		for (ProtocolConfiguration protocol : protocols) {
			Map<String, String> properties = protocol.getProperties();
			switch (protocol.getProtocolName()) {
				case "TCP" -> {
					properties.put("bind_addr", this.bindAddress);
					properties.put("bind_port", String.valueOf(this.bindPort));
					properties.put("port_range", String.valueOf(this.portRange));
				}
				case "FD_SOCK2" -> properties.put("bind_addr", this.bindAddress);
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
