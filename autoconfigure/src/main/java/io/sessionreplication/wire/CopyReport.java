package io.sessionreplication.wire;

import java.util.Comparator;

import org.jspecify.annotations.Nullable;

/**
 * What one member holds of one session: whether it holds a copy, its role for the
 * session, how much of it the copy covers, and a fingerprint of the copy's versions (two
 * copies with the same fingerprint hold the same changes). It never carries attribute
 * names or values: the fingerprint is a digest of the attributes' change stamps.
 *
 * @param sessionId the session id
 * @param held whether the member holds a copy
 * @param role the member's role for the session, {@code null} if it neither owns the
 * session nor holds a copy
 * @param coverage how much of the session the copy covers, {@code null} without a copy
 * @param fingerprint a digest of the copy's versions, {@code null} without a copy
 */
public record CopyReport(String sessionId, boolean held, @Nullable SessionRole role, @Nullable Coverage coverage,
		@Nullable String fingerprint) implements ClusterMessage {

	/**
	 * The report on a member's copy.
	 * @param sessionId the session id
	 * @param copy the member's copy, {@code null} if it holds none
	 * @param role the member's role for the session, or {@code null}
	 * @return the report
	 */
	public static CopyReport of(String sessionId, @Nullable SessionDelta copy, @Nullable SessionRole role) {
		return (copy != null) ? new CopyReport(sessionId, true, role, copy.coverage(), fingerprint(copy))
				: new CopyReport(sessionId, false, role, null, null);
	}

	/**
	 * Names the session by its id's {@link SessionIdFingerprint fingerprint}.
	 */
	@Override
	public String toString() {
		return "the report on the copy of session " + SessionIdFingerprint.of(this.sessionId) + " (held " + this.held
				+ ", role " + this.role + ", coverage " + this.coverage + ", copy fingerprint " + this.fingerprint
				+ ")";
	}

	private static String fingerprint(SessionDelta copy) {
		StringBuilder stamps = new StringBuilder().append(copy.maxInactiveStamp());
		copy.attributes()
			.stream()
			.filter((attribute) -> !attribute.isRemoval())
			.sorted(Comparator.comparing(AttributeChange::name))
			.forEach((attribute) -> stamps.append('|').append(attribute.name()).append('=').append(attribute.stamp()));
		return Sha256.hexPrefix(stamps.toString(), 12);
	}

}
