package io.sessionreplication.session.reactive;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscribes to a {@link Mono} on one of Reactor's non-blocking threads, as a WebFlux
 * event loop does, and records how long the subscription took there, and how and on which
 * kind of thread the {@code Mono} ended.
 */
final class EventLoopSubscriber {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final CountDownLatch subscribed = new CountDownLatch(1);

	private final CountDownLatch ended = new CountDownLatch(1);

	private volatile boolean subscribedOnNonBlockingThread;

	private volatile Duration subscribeTook = Duration.ZERO;

	private volatile boolean endedOnNonBlockingThread;

	private volatile @Nullable Throwable error;

	private EventLoopSubscriber() {
	}

	/**
	 * Subscribe to a {@code Mono} on Reactor's parallel scheduler, and wait, at most 10
	 * s, until {@code subscribe} returned there.
	 * @param mono the {@code Mono}
	 * @return what was recorded, and what will be
	 */
	static EventLoopSubscriber subscribe(Mono<?> mono) throws InterruptedException {
		EventLoopSubscriber subscriber = new EventLoopSubscriber();
		Schedulers.parallel().schedule(() -> {
			subscriber.subscribedOnNonBlockingThread = Schedulers.isInNonBlockingThread();
			long start = System.nanoTime();
			mono.subscribe((value) -> {
			}, subscriber::end, () -> subscriber.end(null));
			subscriber.subscribeTook = Duration.ofNanos(System.nanoTime() - start);
			subscriber.subscribed.countDown();
		});
		assertThat(subscriber.subscribed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
			.as("subscribe returned on the non-blocking thread within %s", TIMEOUT)
			.isTrue();
		return subscriber;
	}

	private void end(@Nullable Throwable error) {
		this.error = error;
		this.endedOnNonBlockingThread = Schedulers.isInNonBlockingThread();
		this.ended.countDown();
	}

	boolean subscribedOnNonBlockingThread() {
		return this.subscribedOnNonBlockingThread;
	}

	Duration subscribeTook() {
		return this.subscribeTook;
	}

	boolean hasEnded() {
		return this.ended.getCount() == 0;
	}

	/**
	 * Wait, at most 10 s, until the {@code Mono} completed or failed.
	 * @return this
	 */
	EventLoopSubscriber awaitEnd() throws InterruptedException {
		assertThat(this.ended.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("ended within %s", TIMEOUT).isTrue();
		return this;
	}

	boolean endedOnNonBlockingThread() {
		return this.endedOnNonBlockingThread;
	}

	@Nullable Throwable error() {
		return this.error;
	}

}
