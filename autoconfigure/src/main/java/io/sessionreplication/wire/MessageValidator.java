package io.sessionreplication.wire;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Checks a decoded message for values that no honest member sends, within
 * {@link MessageLimits}: a version that is negative, beyond
 * {@link ChangeStamp#MAX_VERSION} or whose wall-clock part is further ahead of this
 * member's clock than the allowed skew (it would win every merge), a creation or access
 * time before 1970 or further ahead of this member's clock than the allowed skew, an
 * attribute value or a session larger than the limits. It says what is wrong in words
 * that name no session id.
 * <p>
 * It does not check the framing of a message: that is the codec's, which rejects the
 * whole payload when it cannot tell where a message ends.
 */
final class MessageValidator {

	private final MessageLimits limits;

	MessageValidator(MessageLimits limits) {
		this.limits = limits;
	}

	/**
	 * What is wrong with a message.
	 * @param message the message, well formed
	 * @return the problem, or {@code null} if the message is acceptable
	 */
	@Nullable String problemOf(ClusterMessage message) {
		return (message instanceof SessionDelta delta) ? problemOf(delta) : null;
	}

	private @Nullable String problemOf(SessionDelta delta) {
		String problem = firstOf(timeProblem("creation time", delta.creationTime()),
				timeProblem("last access time", delta.lastAccessedTime()),
				versionProblem("max inactive interval", delta.maxInactiveStamp()),
				versionProblem("index values", delta.indexes().stamp()));
		long sessionSize = 0;
		for (AttributeChange change : delta.attributes()) {
			if (problem != null) {
				return problem;
			}
			problem = versionProblem("attribute '" + change.name() + "'", change.stamp());
			if (change.value() != null) {
				int size = change.value().bytes().length;
				sessionSize += size;
				if (size > this.limits.maxAttributeSize()) {
					problem = "attribute '" + change.name() + "' of " + size + " bytes exceeds max-attribute-size ("
							+ this.limits.maxAttributeSize() + " bytes)";
				}
			}
		}
		if (problem == null && sessionSize > this.limits.maxSessionSize()) {
			problem = "attribute values of " + sessionSize + " bytes exceed max-session-size ("
					+ this.limits.maxSessionSize() + " bytes)";
		}
		return problem;
	}

	private @Nullable String versionProblem(String field, ChangeStamp stamp) {
		if (stamp.version() < 0 || stamp.version() > ChangeStamp.MAX_VERSION) {
			return "version " + stamp.version() + " of the " + field + " is outside 0.." + ChangeStamp.MAX_VERSION;
		}
		return timeProblem("version time of the " + field, Instant.ofEpochMilli(stamp.epochMillis()));
	}

	private @Nullable String timeProblem(String field, Instant time) {
		if (time.toEpochMilli() < 0) {
			return field + " " + time + " is before 1970";
		}
		Instant latest = this.limits.clock().instant().plus(this.limits.maxClockSkew());
		if (time.isAfter(latest)) {
			return field + " " + time + " is more than " + this.limits.maxClockSkew()
					+ " (max-clock-skew) ahead of this member's clock";
		}
		return null;
	}

	private static @Nullable String firstOf(@Nullable String... problems) {
		for (String problem : problems) {
			if (problem != null) {
				return problem;
			}
		}
		return null;
	}

}
