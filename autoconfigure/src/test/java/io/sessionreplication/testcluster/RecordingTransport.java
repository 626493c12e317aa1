package io.sessionreplication.testcluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sessionreplication.cluster.Acknowledgements;
import io.sessionreplication.cluster.ClusterReceiver;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.cluster.WireFormats;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.ClusterMessageCodec;

/**
 * Wraps a real transport and keeps the payloads this member sent, with the members each
 * went to, so that a test can assert what travelled and to whom.
 */
public class RecordingTransport implements ClusterTransport {

	private final ClusterTransport delegate;

	private final List<byte[]> sent = new CopyOnWriteArrayList<>();

	private final List<Collection<String>> recipients = new CopyOnWriteArrayList<>();

	private volatile CountDownLatch sendsReleased = new CountDownLatch(0);

	private final AtomicInteger sendsHeld = new AtomicInteger();

	RecordingTransport(ClusterTransport delegate) {
		this.delegate = delegate;
	}

	/**
	 * The wire format of each recorded payload, in order.
	 * @return the format versions
	 */
	public List<Integer> sentFormats() {
		return this.sent.stream().map((payload) -> (int) payload[0]).toList();
	}

	public List<ClusterMessage> sentMessages() {
		ClusterMessageCodec codec = new ClusterMessageCodec();
		return this.sent.stream().flatMap((payload) -> codec.decode(payload).stream()).toList();
	}

	/**
	 * How many member deliveries the recorded payloads made: one per payload and
	 * receiving member.
	 */
	public int deliveries() {
		return this.recipients.stream().mapToInt(Collection::size).sum();
	}

	/** The members each recorded payload went to, in order. */
	public List<Collection<String>> recipients() {
		return List.copyOf(this.recipients);
	}

	/**
	 * The recorded payloads that went to a member, decoded.
	 * @param member the member
	 * @return the messages of each payload, in order
	 */
	public List<List<ClusterMessage>> payloadsTo(String member) {
		ClusterMessageCodec codec = new ClusterMessageCodec();
		List<List<ClusterMessage>> payloads = new ArrayList<>();
		for (int i = 0; i < this.sent.size(); i++) {
			if (this.recipients.get(i).contains(member)) {
				payloads.add(codec.decode(this.sent.get(i)));
			}
		}
		return payloads;
	}

	/**
	 * Hold every send without waiting (its thread waits, at most 10 s) until
	 * {@link #releaseSends()}: a test holds a background sender mid-way.
	 */
	public void holdSends() {
		this.sendsReleased = new CountDownLatch(1);
	}

	/** Let the sends held by {@link #holdSends()} go on. */
	public void releaseSends() {
		this.sendsReleased.countDown();
	}

	/**
	 * How many sends are waiting for {@link #releaseSends()}.
	 * @return the count
	 */
	public int sendsHeld() {
		return this.sendsHeld.get();
	}

	public void clear() {
		this.sent.clear();
		this.recipients.clear();
	}

	private void record(byte[] payload, Collection<String> to) {
		this.sent.add(payload);
		this.recipients.add(List.copyOf(to));
	}

	private List<String> others() {
		return this.delegate.members().stream().filter((member) -> !member.equals(localMember())).toList();
	}

	@Override
	public String localMember() {
		return this.delegate.localMember();
	}

	@Override
	public JoinResult join(ClusterReceiver receiver, Duration stateTransferTimeout) {
		return this.delegate.join(receiver, stateTransferTimeout);
	}

	@Override
	public void send(byte[] payload) {
		awaitRelease();
		record(payload, others());
		this.delegate.send(payload);
	}

	private void awaitRelease() {
		this.sendsHeld.incrementAndGet();
		try {
			this.sendsReleased.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.sendsHeld.decrementAndGet();
		}
	}

	@Override
	public Acknowledgements sendAndAwait(byte[] payload, Duration timeout) {
		record(payload, others());
		return this.delegate.sendAndAwait(payload, timeout);
	}

	@Override
	public void send(byte[] payload, Collection<String> members) {
		record(payload, members);
		this.delegate.send(payload, members);
	}

	@Override
	public Acknowledgements sendAndAwait(byte[] payload, Collection<String> members, Duration timeout) {
		record(payload, members);
		return this.delegate.sendAndAwait(payload, members, timeout);
	}

	@Override
	public Map<String, byte[]> request(byte[] payload, Collection<String> members, Duration timeout) {
		record(payload, members);
		return this.delegate.request(payload, members, timeout);
	}

	@Override
	public List<String> members() {
		return this.delegate.members();
	}

	@Override
	public Map<String, WireFormats> announcedFormats() {
		return this.delegate.announcedFormats();
	}

	@Override
	public String viewId() {
		return this.delegate.viewId();
	}

	@Override
	public String clusterName() {
		return this.delegate.clusterName();
	}

	@Override
	public boolean isConnected() {
		return this.delegate.isConnected();
	}

	@Override
	public void leave() {
		this.delegate.leave();
	}

}
