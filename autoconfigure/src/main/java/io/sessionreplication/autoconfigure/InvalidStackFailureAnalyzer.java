package io.sessionreplication.autoconfigure;

import io.sessionreplication.cluster.jgroups.InvalidStackException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidStackException} at startup: which JGroups stack is wrong,
 * what is wrong with it, and how to go back to the shipped one; or, when the shipped
 * stack is what failed, that the cluster properties are wrong, and which.
 */
class InvalidStackFailureAnalyzer extends AbstractFailureAnalyzer<InvalidStackException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidStackException cause) {
		if (cause.isShipped()) {
			return new FailureAnalysis(
					"The session replication properties do not make a valid JGroups stack: " + cause.getReason() + ".",
					"Check session.replication.bind-address (an address of this host, or a JGroups keyword such as "
							+ "site_local), session.replication.bind-port, session.replication.port-range and "
							+ "session.replication.members.",
					cause);
		}
		return new FailureAnalysis(
				"The JGroups stack " + cause.getStack() + " (session.replication.jgroups.config) is not valid: "
						+ cause.getReason() + ".",
				"Fix the stack file, or remove session.replication.jgroups.config to use the stack that "
						+ "session-replication ships (TCP with static discovery, set with session.replication.* "
						+ "properties).",
				cause);
	}

}
