package io.sessionreplication.replication;

import java.util.concurrent.ThreadFactory;

/**
 * Makes the background threads of the engine: daemon threads, so that none of them keeps
 * the JVM alive, named after their job.
 */
public final class DaemonThreads {

	private DaemonThreads() {
	}

	/**
	 * A factory of daemon threads with the given name.
	 * @param name the name of every thread it makes
	 * @return the factory
	 */
	public static ThreadFactory named(String name) {
		return (task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		};
	}

}
