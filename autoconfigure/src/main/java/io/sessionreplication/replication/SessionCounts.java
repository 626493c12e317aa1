package io.sessionreplication.replication;

import java.util.Map;

import io.sessionreplication.wire.SessionRole;

/**
 * The sessions one member holds, by role, and how many of them lack backups.
 *
 * @param byRole the copies this member holds, by the role it holds them in; the roles of
 * the other mode are absent
 * @param shortOfBackups the sessions this member is the first owner of (the primary, or
 * any member in {@code all-to-all} mode counting its sessions when it is alone) that have
 * fewer backups in the current view than the mode asks for: added up over the members,
 * each such session is counted once
 */
public record SessionCounts(Map<SessionRole, Integer> byRole, int shortOfBackups) {

	/**
	 * The copies held in one role.
	 * @param role the role
	 * @return the count, zero for a role of the other mode
	 */
	public int held(SessionRole role) {
		return this.byRole.getOrDefault(role, 0);
	}

}
