package io.sessionreplication.wire;

import java.util.Locale;

/**
 * Why a member holds a copy of a session.
 */
public enum SessionRole {

	/** {@code all-to-all} mode: every member holds every session. */
	REPLICA,

	/**
	 * {@code primary-backup} mode: the first owner of the session in the current view.
	 */
	PRIMARY,

	/** {@code primary-backup} mode: one of the other owners in the current view. */
	BACKUP,

	/**
	 * {@code primary-backup} mode: not an owner in the current view; a copy fetched to
	 * serve a request, or kept from an earlier view, released once unused for a while.
	 */
	SPARE;

	/**
	 * The name of the role in metrics tags and health details.
	 * @return the name in lower case
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
