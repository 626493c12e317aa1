package io.sessionreplication.test;

import java.net.URI;

/**
 * One member of a {@link LocalCluster}: an instance of the application under test, with
 * an HTTP port and a member name of its own. Implemented by {@link ProcessMember} (a JVM
 * of its own) and {@link InJvmMember} (an application context in the test's JVM), which
 * differ in what a fault can be: see each.
 */
public interface ClusterMember {

	/**
	 * The member name ({@code session.replication.member-name}).
	 * @return the name
	 */
	String name();

	/**
	 * The address of a path on this member's HTTP port.
	 * @param path the path, starting with {@code /}
	 * @return the address
	 */
	URI uri(String path);

	/**
	 * Start the member, or start it again after it stopped or crashed, with the same name
	 * and ports; returns without waiting for it to be ready.
	 */
	void start();

	/**
	 * Wait until the member is ready: it joined the cluster and received the sessions
	 * that the cluster gives it.
	 * @throws AssertionError if it fails to start or is not ready in time
	 */
	void awaitReady();

	/**
	 * Stop the member gracefully, as a rolling restart or a scale-down does: it hands
	 * over what only it holds before it leaves.
	 */
	void stop();

	/**
	 * Make the member vanish without a word: no hand-over, no leave.
	 */
	void crash();

	/**
	 * Make the member stop answering, with its connections open, until {@link #resume()}:
	 * as a process in a long garbage collection does.
	 */
	void pause();

	/**
	 * Let a paused member go on.
	 */
	void resume();

	/**
	 * Whether the member was started and has not stopped or crashed since; a paused
	 * member is running.
	 * @return whether it is running
	 */
	boolean isRunning();

	/**
	 * Whether the member is paused.
	 * @return whether it is
	 */
	boolean isPaused();

	/**
	 * Whether a load balancer would send requests to this member: it is running and not
	 * paused.
	 * @return whether it serves
	 */
	default boolean isServing() {
		return isRunning() && !isPaused();
	}

}
