package io.sessionreplication.autoconfigure;

import io.sessionreplication.jgroups.InvalidStackException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidStackException} at startup: which JGroups stack is wrong,
 * what is wrong with it, and how to go back to the shipped one.
 */
class InvalidStackFailureAnalyzer extends AbstractFailureAnalyzer<InvalidStackException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidStackException cause) {
		return new FailureAnalysis(
				"The JGroups stack " + cause.getStack() + " (session.replication.jgroups.config) is not valid: "
						+ cause.getReason() + ".",
				"Fix the stack file, or remove session.replication.jgroups.config to use the stack that "
						+ "session-replication ships (TCP with static discovery, set with session.replication.* "
						+ "properties).",
				cause);
	}

}
