package io.sessionreplication;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the replication traffic of this member. Cheap to update from any thread.
 */
public class ReplicationStatistics {

	private final LongAdder payloadsSent = new LongAdder();

	private final LongAdder bytesSent = new LongAdder();

	private final LongAdder payloadsReceived = new LongAdder();

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder ackTimeouts = new LongAdder();

	private final LongAdder rejectedPayloads = new LongAdder();

	void sent(int bytes) {
		this.payloadsSent.increment();
		this.bytesSent.add(bytes);
	}

	void received(int bytes) {
		this.payloadsReceived.increment();
		this.bytesReceived.add(bytes);
	}

	void ackTimedOut(int members) {
		this.ackTimeouts.add(members);
	}

	void rejected() {
		this.rejectedPayloads.increment();
	}

	/**
	 * @return the payloads this member sent
	 */
	public long getPayloadsSent() {
		return this.payloadsSent.sum();
	}

	/**
	 * @return the bytes this member sent, counted once per payload
	 */
	public long getBytesSent() {
		return this.bytesSent.sum();
	}

	/**
	 * @return the payloads this member received
	 */
	public long getPayloadsReceived() {
		return this.payloadsReceived.sum();
	}

	/**
	 * @return the bytes this member received
	 */
	public long getBytesReceived() {
		return this.bytesReceived.sum();
	}

	/**
	 * @return how many times a member did not acknowledge a synchronous change in time
	 */
	public long getAckTimeouts() {
		return this.ackTimeouts.sum();
	}

	/**
	 * @return the payloads rejected as malformed
	 */
	public long getRejectedPayloads() {
		return this.rejectedPayloads.sum();
	}

}
