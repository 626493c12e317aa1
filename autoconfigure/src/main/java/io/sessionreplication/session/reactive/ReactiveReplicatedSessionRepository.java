package io.sessionreplication.session.reactive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.sessionreplication.replication.DaemonThreads;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.session.SessionLimitExceededException;
import io.sessionreplication.session.SessionReplicationException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.FlushMode;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.util.Assert;

/**
 * A {@link ReactiveSessionRepository} for Spring WebFlux applications, over the same
 * engine as the servlet applications' {@link ReplicatedSessionRepository}: it delegates
 * every call to one, so its sessions are that repository's {@link ReplicatedSession}s,
 * with the same store, replicator, limits, save mode, index resolver and events. It is a
 * {@link ReactiveFindByIndexNameSessionRepository}, so Spring Session's
 * {@code SpringSessionBackedReactiveSessionRegistry} and Boot's {@code sessions} endpoint
 * work with it. The principal name of a session is resolved as the delegate resolves it:
 * by default from Spring Security's context ({@code SPRING_SECURITY_CONTEXT}, where
 * Spring Security's {@code WebSessionServerSecurityContextRepository} keeps it) or from
 * the attribute {@link FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}.
 * <p>
 * <b>Threads.</b> The engine waits for other members: a synchronous save or invalidation
 * until the members it went to acknowledged it, a read when this member may not hold the
 * latest state (a session it does not own in primary-backup mode, a session past its
 * timeout here that the member of the latest access may still serve). So {@link #save},
 * {@link #findById}, {@link #deleteById} and {@link #findByIndexNameAndIndexValue} run
 * the engine's call on a thread of this repository's own, never on the subscriber's
 * thread (an event loop), and their {@link Mono} completes once the engine returned: a
 * synchronous save's {@code Mono} completes once every copy applied the change, as the
 * servlet request's save returns then. At most {@code maxThreads} calls run at once and
 * {@code queueCapacity} more wait for a thread; beyond, a call fails at once with a
 * {@link RejectedExecutionException} that names the settings, never holding up the
 * caller: the member is overloaded, or the cluster slow, and an application may answer it
 * with {@code 503 Service Unavailable}. The signals are delivered on Reactor's
 * {@link Schedulers#parallel() parallel} scheduler, so that the repository's threads only
 * ever wait on the cluster. {@link #createSession()} asks no other member and runs on the
 * subscriber's thread. Nothing runs until the returned {@code Mono} is subscribed to.
 * <p>
 * <b>Errors</b> of the engine become error signals: a {@link SessionReplicationException}
 * under {@link io.sessionreplication.session.MissingCopyPolicy#FAIL}, an
 * {@link IllegalArgumentException} for a value changed in place that no longer serializes
 * or fits the size limits, a {@link SessionLimitExceededException} from
 * {@link #createSession()}.
 * <p>
 * <b>What it does not do.</b> It does not make the session itself non-blocking, nor needs
 * to: {@link ReplicatedSession#setAttribute} serializes the value on the caller's thread,
 * and {@code getAttribute} deserializes a value on its first read, without I/O; an
 * attribute that cannot be serialized fails {@code setAttribute} there, with an
 * {@link IllegalArgumentException}. It does not support {@link FlushMode#IMMEDIATE},
 * which saves at each change of the session, on the thread that changes it: the
 * constructor refuses a repository so set. It does not cancel a call whose subscriber
 * cancels: once handed to its threads, a call runs to its end (a save is never half
 * made). The session events of this member's calls ({@code SessionCreatedEvent} at the
 * first save, {@code SessionDeletedEvent} at {@link #deleteById}) are published on the
 * repository's threads.
 * <p>
 * {@link #close()} stops the threads once the calls under way are done; the calls still
 * waiting for a thread fail with a {@link RejectedExecutionException}, and so does every
 * later call.
 */
public class ReactiveReplicatedSessionRepository implements ReactiveSessionRepository<ReplicatedSession>,
		ReactiveFindByIndexNameSessionRepository<ReplicatedSession>, AutoCloseable {

	/** How many calls run on the repository's threads at once, by default. */
	public static final int DEFAULT_MAX_THREADS = 64;

	/** How many calls wait for one of the repository's threads at most, by default. */
	public static final int DEFAULT_QUEUE_CAPACITY = 1_000;

	private static final long IDLE_THREAD_SECONDS = 60;

	private final ReplicatedSessionRepository delegate;

	private final ThreadPoolExecutor executor;

	/**
	 * Create a repository with {@link #DEFAULT_MAX_THREADS} threads and a queue of
	 * {@link #DEFAULT_QUEUE_CAPACITY} calls.
	 * @param delegate the repository whose sessions this one serves, in
	 * {@link FlushMode#ON_SAVE}
	 */
	public ReactiveReplicatedSessionRepository(ReplicatedSessionRepository delegate) {
		this(delegate, DEFAULT_MAX_THREADS, DEFAULT_QUEUE_CAPACITY);
	}

	/**
	 * Create a repository.
	 * @param delegate the repository whose sessions this one serves, in
	 * {@link FlushMode#ON_SAVE}
	 * @param maxThreads how many calls run at once, each on a thread of its own
	 * @param queueCapacity how many calls may wait for a thread
	 */
	public ReactiveReplicatedSessionRepository(ReplicatedSessionRepository delegate, int maxThreads,
			int queueCapacity) {
		Assert.notNull(delegate, "'delegate' must not be null");
		Assert.isTrue(maxThreads > 0, "'maxThreads' must be positive");
		Assert.isTrue(queueCapacity > 0, "'queueCapacity' must be positive");
		Assert.isTrue(delegate.getFlushMode() == FlushMode.ON_SAVE,
				"'delegate' must save in FlushMode.ON_SAVE: FlushMode.IMMEDIATE would save, and wait for the "
						+ "other members, on the thread that changes the session, an event loop");
		this.delegate = delegate;
		this.executor = new ThreadPoolExecutor(maxThreads, maxThreads, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(queueCapacity), DaemonThreads.named("session-replication-reactive"),
				new ThreadPoolExecutor.AbortPolicy());
		this.executor.allowCoreThreadTimeOut(true);
	}

	/**
	 * A new session, saved by the first {@link #save}. It runs on the subscriber's
	 * thread: it asks no other member.
	 * @return the session, or a {@link SessionLimitExceededException} when this member
	 * holds as many sessions as it may
	 */
	@Override
	public Mono<ReplicatedSession> createSession() {
		return Mono.fromSupplier(this.delegate::createSession);
	}

	/**
	 * Save the changes of a session, and send them to the other copies, on a thread of
	 * this repository's: see {@link ReplicatedSessionRepository#save}.
	 * @return completes once the engine saved the session (in sync delivery, once the
	 * other copies applied the change), or signals what failed the save
	 */
	@Override
	public Mono<Void> save(ReplicatedSession session) {
		return runOnOwnThread(() -> this.delegate.save(session));
	}

	/**
	 * The session with this id, on a thread of this repository's: see
	 * {@link ReplicatedSessionRepository#findById}.
	 * @return the session, or empty if it does not exist or has expired
	 */
	@Override
	public Mono<ReplicatedSession> findById(String id) {
		return supplyOnOwnThread(() -> this.delegate.findById(id));
	}

	/**
	 * Invalidate a session on every member, on a thread of this repository's: see
	 * {@link ReplicatedSessionRepository#deleteById}.
	 * @return completes once the engine removed the session (in sync delivery, once the
	 * other members did)
	 */
	@Override
	public Mono<Void> deleteById(String id) {
		return runOnOwnThread(() -> this.delegate.deleteById(id));
	}

	/**
	 * The sessions with an index value, wherever they live in the cluster, on a thread of
	 * this repository's: see
	 * {@link ReplicatedSessionRepository#findByIndexNameAndIndexValue}. The principal
	 * name index is the engine's, whichever of Spring Session's two names asks for it:
	 * {@link ReactiveFindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME} (as
	 * {@link #findByPrincipalName} does) or
	 * {@link FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}.
	 * @return the sessions by id
	 */
	@Override
	public Mono<Map<String, ReplicatedSession>> findByIndexNameAndIndexValue(String indexName, String indexValue) {
		String engineIndexName = PRINCIPAL_NAME_INDEX_NAME.equals(indexName)
				? FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME : indexName;
		return supplyOnOwnThread(() -> this.delegate.findByIndexNameAndIndexValue(engineIndexName, indexValue));
	}

	/**
	 * Stop the threads once the calls under way are done, and fail the calls that wait
	 * for one.
	 */
	@Override
	public void close() {
		this.executor.shutdown();
		List<Runnable> waiting = new ArrayList<>();
		this.executor.getQueue().drainTo(waiting);
		for (Runnable call : waiting) {
			((Call<?>) call).refuse(closed());
		}
	}

	/**
	 * A {@code Mono} that completes once the engine's call returned, run on one of this
	 * repository's threads when subscribed to.
	 */
	private Mono<Void> runOnOwnThread(Runnable engineCall) {
		return supplyOnOwnThread(() -> {
			engineCall.run();
			return null;
		});
	}

	/**
	 * A {@code Mono} of what the engine's call returns, run on one of this repository's
	 * threads when subscribed to.
	 */
	private <T> Mono<T> supplyOnOwnThread(Supplier<@Nullable T> engineCall) {
		Mono<T> call = Mono.create((sink) -> {
			try {
				this.executor.execute(new Call<>(engineCall, sink));
			}
			catch (RejectedExecutionException ex) {
				sink.error(this.executor.isShutdown() ? closed() : busy());
			}
		});
		return call.publishOn(Schedulers.parallel());
	}

	private RejectedExecutionException busy() {
		return new RejectedExecutionException("All " + this.executor.getMaximumPoolSize()
				+ " threads of the reactive session repository wait on the cluster and "
				+ this.executor.getQueue().size() + " more calls wait for one "
				+ "(session.replication.reactive.max-threads, session.replication.reactive.queue-capacity): "
				+ "this call is refused; the member is overloaded or the other members are slow to answer");
	}

	private static RejectedExecutionException closed() {
		return new RejectedExecutionException("The reactive session repository is closed: the application is stopping");
	}

	/** One call of the engine, whose outcome its sink signals. */
	private static final class Call<T> implements Runnable {

		private final Supplier<@Nullable T> engineCall;

		private final MonoSink<T> sink;

		Call(Supplier<@Nullable T> engineCall, MonoSink<T> sink) {
			this.engineCall = engineCall;
			this.sink = sink;
		}

		@Override
		public void run() {
			T result;
			try {
				result = this.engineCall.get();
			}
			catch (RuntimeException | Error ex) {
				// an error too (a hostile value can overflow the stack) reaches the
				// subscriber, instead of leaving it waiting for ever
				this.sink.error(ex);
				return;
			}
			this.sink.success(result);
		}

		void refuse(RejectedExecutionException cause) {
			this.sink.error(cause);
		}

	}

}
