package io.sessionreplication.autoconfigure;

import java.net.BindException;

import io.sessionreplication.cluster.ClusterJoinException;
import io.sessionreplication.cluster.DuplicateMemberNameException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link ClusterJoinException} at startup: which member could not join which
 * cluster, why, and which properties to change. (An address this host does not have fails
 * earlier, when the channel is built: see {@link InvalidStackFailureAnalyzer}.)
 */
class ClusterJoinFailureAnalyzer extends AbstractFailureAnalyzer<ClusterJoinException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ClusterJoinException cause) {
		String description = "Member " + cause.getMember() + " could not join the session replication cluster '"
				+ cause.getClusterName() + "': ";
		BindException bind = findCause(cause, BindException.class);
		if (bind != null && String.valueOf(bind.getMessage()).startsWith("No available port")) {
			return new FailureAnalysis(description + bind.getMessage() + ": every port of the range is taken.",
					"Stop the process that holds these ports, or give session.replication.bind-port and "
							+ "session.replication.port-range a range with a free port for each member on this host "
							+ "(members find each other on that range unless session.replication.members lists them).",
					cause);
		}
		DuplicateMemberNameException duplicate = findCause(cause, DuplicateMemberNameException.class);
		if (duplicate != null) {
			return new FailureAnalysis(description + duplicate.getMessage() + ".",
					"Give each member a name of its own with session.replication.member-name, or remove the "
							+ "property: the default (host name, process id and a random suffix) differs on each "
							+ "member.",
					cause);
		}
		Throwable reason = (cause.getCause() != null) ? cause.getCause() : cause;
		return new FailureAnalysis(description + reason + ".",
				"Check session.replication.bind-address, session.replication.bind-port, "
						+ "session.replication.port-range and session.replication.members, or the JGroups stack "
						+ "in session.replication.jgroups.config.",
				cause);
	}

}
