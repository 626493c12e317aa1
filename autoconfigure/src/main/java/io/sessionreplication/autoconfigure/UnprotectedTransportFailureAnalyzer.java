package io.sessionreplication.autoconfigure;

import io.sessionreplication.cluster.jgroups.UnprotectedTransportException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link UnprotectedTransportException} at startup: the member would listen
 * off loopback without TLS, what that exposes, and the two ways out: an SSL bundle, or
 * the explicit opt-out for a network that secures the traffic by itself.
 */
class UnprotectedTransportFailureAnalyzer extends AbstractFailureAnalyzer<UnprotectedTransportException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnprotectedTransportException cause) {
		return new FailureAnalysis(
				"Session replication would listen on " + cause.getBindAddress()
						+ ", off loopback, without TLS: anyone who reaches that port could join the cluster and read, "
						+ "forge or remove every session.",
				"Set session.replication.ssl.bundle to the name of an SSL bundle (spring.ssl.bundle.*) with this "
						+ "member's certificate and the cluster's own CA, so that members authenticate each other "
						+ "with mutual TLS. Only on a network that already authenticates and encrypts the traffic "
						+ "(a service mesh with mutual TLS, for example), set session.replication.insecure=true "
						+ "instead.",
				cause);
	}

}
