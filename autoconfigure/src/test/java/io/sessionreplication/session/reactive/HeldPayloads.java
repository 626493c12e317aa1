package io.sessionreplication.session.reactive;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sessionreplication.cluster.ClusterReceiver;
import io.sessionreplication.session.ForwardingReceiver;

/**
 * Holds the payloads that reach the members whose receivers it wraps, neither applied nor
 * acknowledged, while a test says so: a member whose acknowledgement is slow for real,
 * with the sender's thread waiting for it. A payload is held at most 10 s.
 */
final class HeldPayloads {

	private volatile CountDownLatch released = new CountDownLatch(0);

	private final AtomicInteger held = new AtomicInteger();

	/**
	 * Put this between a member's transport and its replicator.
	 * @param receiver the member's replicator
	 * @return what the transport hands payloads to
	 */
	ClusterReceiver wrap(ClusterReceiver receiver) {
		return new ForwardingReceiver(receiver) {

			@Override
			public CompletionStage<byte[]> receive(byte[] payload, String sender) {
				awaitRelease();
				return super.receive(payload, sender);
			}

		};
	}

	/** Hold every payload that arrives from now on, until {@link #release()}. */
	void hold() {
		this.released = new CountDownLatch(1);
	}

	/**
	 * Let the held payloads, and those that arrive later, be applied and acknowledged.
	 */
	void release() {
		this.released.countDown();
	}

	/**
	 * Whether a payload is held now.
	 * @return whether one is
	 */
	boolean holding() {
		return this.held.get() > 0;
	}

	private void awaitRelease() {
		this.held.incrementAndGet();
		try {
			this.released.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.held.decrementAndGet();
		}
	}

}
