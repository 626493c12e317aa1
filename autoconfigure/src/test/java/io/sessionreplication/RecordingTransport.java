package io.sessionreplication;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Wraps a real transport and keeps the payloads this member sent, so that a test can
 * assert what travelled.
 */
class RecordingTransport implements ClusterTransport {

	private final ClusterTransport delegate;

	private final List<byte[]> sent = new CopyOnWriteArrayList<>();

	RecordingTransport(ClusterTransport delegate) {
		this.delegate = delegate;
	}

	List<ClusterMessage> sentMessages() {
		ClusterMessageCodec codec = new ClusterMessageCodec();
		return this.sent.stream().flatMap((payload) -> codec.decode(payload).stream()).toList();
	}

	void clear() {
		this.sent.clear();
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
		this.sent.add(payload);
		this.delegate.send(payload);
	}

	@Override
	public Set<String> sendAndAwait(byte[] payload, Duration timeout) {
		this.sent.add(payload);
		return this.delegate.sendAndAwait(payload, timeout);
	}

	@Override
	public List<String> members() {
		return this.delegate.members();
	}

	@Override
	public void leave() {
		this.delegate.leave();
	}

}
