package io.sessionreplication.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.sessionreplication.wire.ClusterMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends messages in the background, several to a payload, for {@link DeliveryMode#ASYNC}.
 * A caller waits only when {@link #CAPACITY} messages are already queued, so a slow
 * cluster slows requests down instead of filling the heap. A payload carries what one
 * {@link PayloadBudget} admits.
 */
public final class BatchingSender {

	/** How many messages may wait to be sent. */
	static final int CAPACITY = 10_000;

	private static final Log logger = LogFactory.getLog(BatchingSender.class);

	private final BlockingQueue<ClusterMessage> queue = new LinkedBlockingQueue<>(CAPACITY);

	private final Consumer<List<ClusterMessage>> sender;

	private final Thread thread;

	private volatile boolean running = true;

	public BatchingSender(Consumer<List<ClusterMessage>> sender) {
		this.sender = sender;
		this.thread = new Thread(this::run, "session-replication-sender");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	void enqueue(ClusterMessage message) {
		try {
			this.queue.put(message);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while queueing " + message, ex);
		}
	}

	/**
	 * Stop the background thread once it has sent the batch in hand (it is not
	 * interrupted, so a send in progress completes), then send what is still queued from
	 * the caller's thread.
	 */
	void close() {
		this.running = false;
		try {
			this.thread.join(TimeUnit.SECONDS.toMillis(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		sendQueued();
	}

	private void run() {
		while (this.running) {
			try {
				ClusterMessage first = this.queue.poll(100, TimeUnit.MILLISECONDS);
				if (first != null) {
					send(batchStartingWith(first));
				}
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void sendQueued() {
		for (ClusterMessage first = this.queue.poll(); first != null; first = this.queue.poll()) {
			send(batchStartingWith(first));
		}
	}

	/** A message, and the queued messages behind it that its payload's budget admits. */
	private List<ClusterMessage> batchStartingWith(ClusterMessage first) {
		List<ClusterMessage> batch = new ArrayList<>();
		PayloadBudget budget = new PayloadBudget();
		batch.add(first);
		budget.add(first);
		for (ClusterMessage next = this.queue.peek(); next != null && budget.admits(next); next = this.queue.peek()) {
			ClusterMessage taken = this.queue.poll();
			if (taken == null) {
				break;
			}
			batch.add(taken);
			budget.add(taken);
		}
		return batch;
	}

	private void send(List<ClusterMessage> batch) {
		try {
			this.sender.accept(batch);
		}
		catch (RuntimeException ex) {
			logger.error("Could not send " + batch.size() + " session changes to the cluster", ex);
		}
	}

}
