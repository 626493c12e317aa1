package io.sessionreplication.test;

/**
 * How a {@link Browser} picks the member for each request, as a load balancer in front of
 * the cluster would. Either way it sends requests only to members that serve
 * ({@link ClusterMember#isServing()}): a member that crashed, stopped or is paused drops
 * out, as after a failed health check.
 */
public enum Routing {

	/**
	 * The same member for every request, while it serves; then the next one that does, in
	 * the cluster's order.
	 */
	STICKY,

	/**
	 * Another member for each request: the next one that serves, in the cluster's order,
	 * after the member of the previous request.
	 */
	ALTERNATING

}
