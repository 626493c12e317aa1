package io.sessionreplication.benchmarks.load;

import java.util.ArrayList;
import java.util.List;

/**
 * A session store the load benchmark measures: the load application's profile that
 * selects it, and its other arguments. The same application, heap and workload for every
 * backend, each at its defaults.
 */
enum Backend {

	/** No replication at all: the servlet container's own in-memory sessions. */
	NONE("none"),

	/**
	 * No replication, but Spring Session's in-memory repository: what Spring Session's
	 * filter costs by itself, under every Spring Session store.
	 */
	SPRING_SESSION_MAP("spring-session-map"),

	/** This starter, every member holds every session, changes acknowledged. */
	ALL_TO_ALL_SYNC("replication", "--session.replication.mode=all-to-all", "--session.replication.delivery=sync"),

	/**
	 * {@link #ALL_TO_ALL_SYNC} with mutual TLS between the members, from a JKS SSL bundle
	 * of the test certificates in {@code autoconfigure/src/test/resources/tls} (paths
	 * relative to the repository's root, where {@code run-load.sh} starts the nodes).
	 */
	ALL_TO_ALL_SYNC_TLS("replication", "--session.replication.mode=all-to-all", "--session.replication.delivery=sync",
			"--session.replication.ssl.bundle=cluster", "--spring.ssl.bundle.jks.cluster.key.alias=member",
			"--spring.ssl.bundle.jks.cluster.keystore.location=file:" + Backend.TLS + "member-b.jks",
			"--spring.ssl.bundle.jks.cluster.keystore.password=secret",
			"--spring.ssl.bundle.jks.cluster.keystore.type=JKS",
			"--spring.ssl.bundle.jks.cluster.truststore.location=file:" + Backend.TLS + "cluster-truststore.jks",
			"--spring.ssl.bundle.jks.cluster.truststore.password=secret",
			"--spring.ssl.bundle.jks.cluster.truststore.type=JKS"),

	/** This starter, every member holds every session, changes sent in the background. */
	ALL_TO_ALL_ASYNC("replication", "--session.replication.mode=all-to-all", "--session.replication.delivery=async"),

	/** This starter, a primary and one backup per session, changes acknowledged. */
	PRIMARY_BACKUP_SYNC("replication", "--session.replication.mode=primary-backup",
			"--session.replication.delivery=sync"),

	/**
	 * This starter, a primary and one backup per session, changes sent in the background.
	 */
	PRIMARY_BACKUP_ASYNC("replication", "--session.replication.mode=primary-backup",
			"--session.replication.delivery=async"),

	/** Spring Session Data Redis, against one {@link RedisServer} per cluster. */
	REDIS("redis"),

	/** Hazelcast's Spring Session, a Hazelcast member embedded in each node. */
	HAZELCAST("hazelcast"),

	/**
	 * Infinispan's Spring Session, an Infinispan cache manager embedded in each node, the
	 * sessions distributed with 2 owners, written synchronously.
	 */
	INFINISPAN("infinispan"),

	/**
	 * Tomcat's own cluster with {@code DeltaManager}: every member holds every session.
	 */
	TOMCAT_DELTA("tomcat-delta"),

	/**
	 * Tomcat's own cluster with {@code BackupManager}: a primary and one backup per
	 * session.
	 */
	TOMCAT_BACKUP("tomcat-backup");

	private static final String TLS = "autoconfigure/src/test/resources/tls/";

	private final List<String> arguments;

	Backend(String profile, String... arguments) {
		List<String> all = new ArrayList<>();
		all.add("--spring.profiles.active=" + profile);
		all.addAll(List.of(arguments));
		this.arguments = List.copyOf(all);
	}

	List<String> arguments() {
		return this.arguments;
	}

	/**
	 * Whether the nodes share their sessions, so that a request may go to any of them.
	 * @return whether they do
	 */
	boolean isReplicated() {
		return this != NONE && this != SPRING_SESSION_MAP;
	}

	/**
	 * Whether the nodes keep their sessions in a Redis server, which the benchmark
	 * starts.
	 * @return whether they do
	 */
	boolean usesRedisServer() {
		return this == REDIS;
	}

}
