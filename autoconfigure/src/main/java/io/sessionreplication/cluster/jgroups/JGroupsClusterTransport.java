package io.sessionreplication.cluster.jgroups;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import io.sessionreplication.cluster.Acknowledgements;
import io.sessionreplication.cluster.ClusterJoinException;
import io.sessionreplication.cluster.ClusterReceiver;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.cluster.DuplicateMemberNameException;
import io.sessionreplication.cluster.WireFormats;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.blocks.MessageDispatcher;
import org.jgroups.blocks.RequestHandler;
import org.jgroups.blocks.RequestOptions;
import org.jgroups.blocks.Response;
import org.jgroups.blocks.ResponseMode;
import org.jgroups.protocols.VERIFY_SUSPECT;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.RspList;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ClusterTransport} on one JGroups channel. All traffic goes through one
 * {@link MessageDispatcher}: a synchronous send is a multicast request that waits for a
 * response from every other member, which each sends once its receiver is done with the
 * payload (see {@link ClusterReceiver#receive}); an asynchronous send is the same request
 * without waiting. A send to some members is one unicast to each (an anycast), and a
 * request collects their replies. A request stops waiting for a member once its crash is
 * confirmed ({@link CrashWatch}), before the view changes. A joining member fetches the
 * state of the coordinator, streamed by the stack's state transfer protocol.
 */
public class JGroupsClusterTransport implements ClusterTransport, RequestHandler, Receiver {

	private static final Log logger = LogFactory.getLog(JGroupsClusterTransport.class);

	private final JChannel channel;

	private final String clusterName;

	private volatile @Nullable ClusterReceiver receiver;

	private @Nullable MessageDispatcher dispatcher;

	private volatile boolean left;

	/**
	 * Confirms crashes before the view changes, where the stack verifies suspicions;
	 * {@code null} until joined, or where it does not.
	 */
	private volatile @Nullable CrashWatch crashWatch;

	private final PendingRequests pendingRequests = new PendingRequests(this::confirmedCrashes, this::currentView);

	/** The members of the view installed last; {@code null} outside the cluster. */
	private volatile @Nullable ViewMembers viewMembers;

	/**
	 * Create a transport on a channel that is not connected yet, whose member announces
	 * no wire formats, as the releases before the announcements did.
	 * @param channel the channel, with its name set
	 * @param clusterName the cluster to join
	 */
	public JGroupsClusterTransport(JChannel channel, String clusterName) {
		this(channel, clusterName, null);
	}

	/**
	 * Create a transport on a channel that is not connected yet.
	 * @param channel the channel, with its name set
	 * @param clusterName the cluster to join
	 * @param formats the wire formats that this member announces to the others in its
	 * address, or {@code null} to announce none
	 */
	public JGroupsClusterTransport(JChannel channel, String clusterName, @Nullable WireFormats formats) {
		this.channel = channel;
		this.clusterName = clusterName;
		if (formats != null) {
			channel.addAddressGenerator(MemberFormats.addressGenerator(formats));
		}
	}

	@Override
	public String localMember() {
		return this.channel.getName();
	}

	/**
	 * The channel this transport sends on. For diagnostics and test kits only (the
	 * {@code session-replication-test} kit adds a protocol to it, to cut members apart):
	 * a message sent on it directly bypasses the replication.
	 * @return the channel
	 */
	public JChannel channel() {
		return this.channel;
	}

	@Override
	public String clusterName() {
		return this.clusterName;
	}

	@Override
	public boolean isConnected() {
		return this.channel.isConnected();
	}

	@Override
	public JoinResult join(ClusterReceiver receiver, Duration stateTransferTimeout) {
		this.receiver = receiver;
		// answers complete their requests on the thread that delivers them: without
		// virtual threads JGroups would hand each to the common ForkJoinPool, one more
		// thread to wake before the request that waits for it
		this.dispatcher = new MessageDispatcher(this.channel, this).setReceiver(this)
			.asyncDispatching(true)
			.asyncRspHandling(false);
		try {
			watchCrashes();
			this.channel.connect(this.clusterName);
		}
		catch (Exception ex) {
			throw new ClusterJoinException(this.clusterName, localMember(), ex);
		}
		refuseDuplicateName();
		Address coordinator = this.channel.getView().getCoord();
		if (coordinator.equals(this.channel.getAddress())) {
			return new JoinResult(null, true);
		}
		boolean complete = true;
		try {
			this.channel.getState(coordinator, stateTransferTimeout.toMillis());
		}
		catch (Exception ex) {
			complete = false;
			logger.debug("State transfer from " + coordinator + " did not complete", ex);
		}
		return new JoinResult(MemberNames.of(coordinator), complete);
	}

	/**
	 * Put a {@link CrashWatch} below the stack's verification of suspicions, if it has
	 * one, and a {@link ClosedConnectionWatch} above a TCP transport to tell it of closed
	 * connections: a request then stops waiting for a member as soon as its crash is
	 * confirmed, on every member, rather than once the verification has excluded it from
	 * the view. A stack without such a verification changes the view at the suspicion.
	 */
	private void watchCrashes() throws Exception {
		ProtocolStack stack = this.channel.getProtocolStack();
		Protocol verification = stack.findProtocol(VERIFY_SUSPECT2.class, VERIFY_SUSPECT.class);
		if (verification != null) {
			CrashWatch watch = new CrashWatch(this.pendingRequests::crashConfirmed);
			stack.insertProtocolInStack(watch, verification, ProtocolStack.Position.BELOW);
			ClosedConnectionWatch.watch(stack.getTransport(), watch::suspected);
			this.crashWatch = watch;
		}
	}

	private Set<Address> confirmedCrashes() {
		CrashWatch watch = this.crashWatch;
		return (watch != null) ? watch.confirmedCrashes() : Set.of();
	}

	private @Nullable View currentView() {
		return this.channel.getView();
	}

	/**
	 * Leave at once if another member of the view has this member's name: members are
	 * told apart by name, so two of one name would take each other's messages.
	 */
	private void refuseDuplicateName() {
		Address self = this.channel.getAddress();
		for (Address member : this.channel.getView().getMembers()) {
			if (!member.equals(self) && MemberNames.of(member).equals(localMember())) {
				String other = String.valueOf(this.channel.down(new Event(Event.GET_PHYSICAL_ADDRESS, member)));
				leave();
				throw new ClusterJoinException(this.clusterName, localMember(),
						new DuplicateMemberNameException(localMember(), other));
			}
		}
	}

	@Override
	public void send(byte[] payload) {
		cast(payload, null, new RequestOptions(ResponseMode.GET_NONE, 0));
	}

	@Override
	public void send(byte[] payload, Collection<String> members) {
		cast(payload, members, new RequestOptions(ResponseMode.GET_NONE, 0));
	}

	@Override
	public Acknowledgements sendAndAwait(byte[] payload, Duration timeout) {
		return acknowledgements(cast(payload, null, new RequestOptions(ResponseMode.GET_ALL, timeout.toMillis())),
				List.of());
	}

	@Override
	public Acknowledgements sendAndAwait(byte[] payload, Collection<String> members, Duration timeout) {
		return acknowledgements(cast(payload, members, new RequestOptions(ResponseMode.GET_ALL, timeout.toMillis())),
				members);
	}

	@Override
	public Map<String, byte[]> request(byte[] payload, Collection<String> members, Duration timeout) {
		RspList<Object> responses = cast(payload, members,
				new RequestOptions(ResponseMode.GET_ALL, timeout.toMillis()));
		Map<String, byte[]> replies = new LinkedHashMap<>();
		if (responses != null) {
			responses.forEach((member, response) -> {
				byte[] reply = response.wasReceived() ? Replies.replyOf(response.getValue()) : null;
				if (reply != null) {
					replies.put(nameOf(member), reply);
				}
				else {
					logFailure(member, response.getValue());
				}
			});
		}
		return replies;
	}

	/**
	 * What each member answered; a member asked for that no response names was not in the
	 * view, and is missing too.
	 */
	private Acknowledgements acknowledgements(@Nullable RspList<Object> responses, Collection<String> asked) {
		Set<String> handled = new LinkedHashSet<>();
		Map<String, byte[]> replies = new LinkedHashMap<>();
		Map<String, String> failed = new LinkedHashMap<>();
		Set<String> missing = new LinkedHashSet<>(asked);
		if (responses != null) {
			responses.forEach((address, response) -> {
				String member = nameOf(address);
				missing.remove(member);
				if (!response.wasReceived()) {
					missing.add(member);
					return;
				}
				String failure = Replies.failureOf(response.getValue());
				if (failure != null) {
					failed.put(member, failure);
					logger.warn("Member " + member + " failed to handle a replication message: " + failure);
					return;
				}
				handled.add(member);
				byte[] reply = Replies.replyOf(response.getValue());
				if (reply != null) {
					replies.put(member, reply);
				}
			});
		}
		return new Acknowledgements(handled, replies, failed, missing);
	}

	private void logFailure(Address member, @Nullable Object answer) {
		String failure = Replies.failureOf(answer);
		if (failure != null) {
			logger.warn("Member " + nameOf(member) + " failed to handle a replication message: " + failure);
		}
	}

	/**
	 * Multicast to every other member ({@code members} is {@code null}), or send one
	 * unicast to each of {@code members} that is in the current view.
	 */
	private @Nullable RspList<Object> cast(byte[] payload, @Nullable Collection<String> members,
			RequestOptions options) {
		MessageDispatcher dispatcher = this.dispatcher;
		if (this.left || dispatcher == null) {
			return null;
		}
		List<Address> destinations = null;
		if (members != null) {
			ViewMembers view = this.viewMembers;
			if (view == null) {
				return null;
			}
			destinations = members.stream().map(view.addresses()::get).filter(Objects::nonNull).toList();
			if (destinations.isEmpty()) {
				return null;
			}
			options.anycasting(true);
		}
		options.setTransientFlags(Message.TransientFlag.DONT_LOOPBACK);
		try {
			if (options.mode() == ResponseMode.GET_NONE) {
				return dispatcher.castMessage(destinations, new BytesMessage(null, payload), options);
			}
			return this.pendingRequests.await(
					dispatcher.castMessageWithFuture(destinations, new BytesMessage(null, payload), options),
					options.timeout());
		}
		catch (Exception ex) {
			if (this.left) {
				return null;
			}
			throw new IllegalStateException(
					"Could not send a session change to cluster '" + this.clusterName + "': " + ex.getMessage(), ex);
		}
	}

	@Override
	public List<String> members() {
		ViewMembers view = this.viewMembers;
		return (view != null) ? view.names() : List.of(localMember());
	}

	@Override
	public Map<String, WireFormats> announcedFormats() {
		ViewMembers view = this.viewMembers;
		return (view != null) ? view.formats() : Map.of();
	}

	@Override
	public String viewId() {
		View view = this.channel.getView();
		return (view != null) ? String.valueOf(view.getViewId()) : "none";
	}

	@Override
	public void leave() {
		this.left = true;
		this.viewMembers = null;
		MessageDispatcher dispatcher = this.dispatcher;
		if (dispatcher != null) {
			dispatcher.stop();
		}
		this.channel.close();
	}

	/**
	 * Hand a payload to the receiver on the delivering thread, and answer it once the
	 * receiver is done with it, maybe later on another thread ({@link MessageDispatcher}
	 * dispatches asynchronously).
	 */
	@Override
	public void handle(Message message, @Nullable Response response) {
		byte[] payload = message.getArray();
		if (message.getOffset() != 0 || message.getLength() != payload.length) {
			payload = Arrays.copyOfRange(payload, message.getOffset(), message.getOffset() + message.getLength());
		}
		CompletionStage<byte @Nullable []> done = requiredReceiver().receive(payload, nameOf(message.getSrc()));
		if (response != null) {
			done.whenComplete((reply, failure) -> response
				.send((failure != null) ? Replies.failed(failure) : Replies.handled(reply), false));
		}
	}

	/** Not used: every payload is dispatched to {@link #handle(Message, Response)}. */
	@Override
	public @Nullable Object handle(Message message) {
		throw new UnsupportedOperationException("Payloads are dispatched asynchronously");
	}

	@Override
	public void viewAccepted(View view) {
		ViewMembers members = ViewMembers.of(view);
		this.viewMembers = members;
		logger.info("Cluster '" + this.clusterName + "' view " + view.getViewId() + ": " + members.names()
				+ ((view instanceof MergeView merge) ? " (merge of " + merge.getSubgroups() + ")" : ""));
		requiredReceiver().viewChanged(members.names(), view instanceof MergeView);
	}

	/** The name of a member, read once per view rather than once per message. */
	private String nameOf(Address member) {
		ViewMembers view = this.viewMembers;
		String name = (view != null) ? view.namesByAddress().get(member) : null;
		return (name != null) ? name : MemberNames.of(member);
	}

	@Override
	public void getState(OutputStream output) throws Exception {
		requiredReceiver().writeState(output);
	}

	@Override
	public void setState(InputStream input) throws Exception {
		requiredReceiver().readState(input);
	}

	private ClusterReceiver requiredReceiver() {
		ClusterReceiver receiver = this.receiver;
		if (receiver == null) {
			throw new IllegalStateException("Not joined");
		}
		return receiver;
	}

	/**
	 * The members of one view, by name and by address.
	 *
	 * @param names the member names, in view order
	 * @param addresses the address of each member name
	 * @param namesByAddress the name of each member address
	 * @param formats the wire formats of each member name that announces them
	 */
	private record ViewMembers(List<String> names, Map<String, Address> addresses, Map<Address, String> namesByAddress,
			Map<String, WireFormats> formats) {

		static ViewMembers of(View view) {
			Map<String, Address> addresses = new LinkedHashMap<>();
			Map<Address, String> names = new HashMap<>();
			Map<String, WireFormats> formats = new HashMap<>();
			for (Address member : view.getMembers()) {
				String name = MemberNames.of(member);
				// a joiner that takes a name already in the view leaves at once (see
				// refuseDuplicateName): meanwhile, the name stays with the older member
				if (addresses.putIfAbsent(name, member) == null) {
					names.put(member, name);
					WireFormats announced = MemberFormats.of(member);
					if (announced != null) {
						formats.put(name, announced);
					}
				}
			}
			return new ViewMembers(List.copyOf(addresses.keySet()), addresses, names, Map.copyOf(formats));
		}

	}

}
