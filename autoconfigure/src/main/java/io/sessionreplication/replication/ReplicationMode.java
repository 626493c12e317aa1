package io.sessionreplication.replication;

/**
 * Where the copies of a session live.
 */
public enum ReplicationMode {

	/** Every member holds every session. */
	ALL_TO_ALL,

	/** Each session lives on a primary and a number of backups. */
	PRIMARY_BACKUP

}
