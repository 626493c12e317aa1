package io.sessionreplication.session;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.sessionreplication.replication.DaemonThreads;
import io.sessionreplication.replication.ReplicationStatistics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Publishes the session events that changes from other members cause, one at a time and
 * in order, on a thread of its own, so that a slow listener never holds up replication.
 * It holds at most its capacity of events: when the listeners fall that far behind, a new
 * event is dropped, counted ({@link ReplicationStatistics#eventDropped()}) and logged at
 * most once a minute, rather than the heap filling up. It does not publish the events of
 * this member's own requests: those are published on the request's thread.
 */
final class ReceivedEventQueue {

	/** How many events wait for their listeners at most, by default. */
	static final int DEFAULT_CAPACITY = 10_000;

	private static final long WARNING_INTERVAL = Duration.ofMinutes(1).toNanos();

	private static final Log logger = LogFactory.getLog(ReceivedEventQueue.class);

	private final ThreadPoolExecutor executor;

	private final ReplicationStatistics statistics;

	private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL);

	/**
	 * Create a queue.
	 * @param capacity how many events may wait
	 * @param statistics counts the events dropped
	 */
	ReceivedEventQueue(int capacity, ReplicationStatistics statistics) {
		this.statistics = statistics;
		this.executor = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity),
				DaemonThreads.named("session-replication-events"), new ThreadPoolExecutor.AbortPolicy());
	}

	/**
	 * Publish an event after those queued before it, or drop it if the queue is full.
	 * @param publication what publishes the event
	 * @param event what the event is, for the log: its type, never a session id
	 */
	void publish(Runnable publication, String event) {
		try {
			this.executor.execute(publication);
		}
		catch (RejectedExecutionException ex) {
			this.statistics.eventDropped();
			long now = System.nanoTime();
			long last = this.lastWarning.get();
			if (now - last >= WARNING_INTERVAL && this.lastWarning.compareAndSet(last, now)) {
				logger.warn("Dropped a " + event + ": the listeners of session events are "
						+ this.executor.getQueue().size() + " events behind; session.replication.events.dropped "
						+ "counts every event dropped (logged at most once a minute)");
			}
		}
	}

}
