package io.sessionreplication.benchmarks.load;

import java.util.List;

/**
 * A session store the load benchmark measures: the web sample's arguments that select it.
 * The same application, heap and workload for every backend.
 */
enum Backend {

	/** No replication at all: the servlet container's own in-memory sessions. */
	NONE("--spring.autoconfigure.exclude=io.sessionreplication.autoconfigure.SessionReplicationAutoConfiguration"),

	/** This starter, every member holds every session, changes acknowledged. */
	ALL_TO_ALL_SYNC("--session.replication.mode=all-to-all", "--session.replication.delivery=sync"),

	/** This starter, every member holds every session, changes sent in the background. */
	ALL_TO_ALL_ASYNC("--session.replication.mode=all-to-all", "--session.replication.delivery=async"),

	/** This starter, a primary and one backup per session, changes acknowledged. */
	PRIMARY_BACKUP_SYNC("--session.replication.mode=primary-backup", "--session.replication.delivery=sync"),

	/**
	 * This starter, a primary and one backup per session, changes sent in the background.
	 */
	PRIMARY_BACKUP_ASYNC("--session.replication.mode=primary-backup", "--session.replication.delivery=async");

	private final List<String> arguments;

	Backend(String... arguments) {
		this.arguments = List.of(arguments);
	}

	List<String> arguments() {
		return this.arguments;
	}

	/**
	 * Whether the nodes share their sessions, so that a request may go to any of them.
	 * @return whether they do
	 */
	boolean isReplicated() {
		return this != NONE;
	}

}
