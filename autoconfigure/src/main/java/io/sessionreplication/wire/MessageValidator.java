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

	/**
	 * Checks every field with numbers only, reading the clock once, and puts the problem
	 * into words only when there is one: it runs on every message received.
	 */
	private @Nullable String problemOf(SessionDelta delta) {
		long latest = this.limits.clock().millis() + this.limits.maxClockSkew().toMillis();
		if (isOutside(delta.creationTime().toEpochMilli(), latest)) {
			return timeProblem("creation time", delta.creationTime().toEpochMilli(), latest);
		}
		if (isOutside(delta.lastAccessedTime().toEpochMilli(), latest)) {
			return timeProblem("last access time", delta.lastAccessedTime().toEpochMilli(), latest);
		}
		if (isOutside(delta.maxInactiveStamp(), latest)) {
			return versionProblem("max inactive interval", delta.maxInactiveStamp(), latest);
		}
		if (isOutside(delta.indexes().stamp(), latest)) {
			return versionProblem("index values", delta.indexes().stamp(), latest);
		}
		long sessionSize = 0;
		for (AttributeChange change : delta.attributes()) {
			if (isOutside(change.stamp(), latest)) {
				return versionProblem("attribute '" + change.name() + "'", change.stamp(), latest);
			}
			if (change.value() != null) {
				int size = change.value().bytes().length;
				sessionSize += size;
				if (size > this.limits.maxAttributeSize()) {
					return "attribute '" + change.name() + "' of " + size + " bytes exceeds max-attribute-size ("
							+ this.limits.maxAttributeSize() + " bytes)";
				}
			}
		}
		if (sessionSize > this.limits.maxSessionSize()) {
			return "attribute values of " + sessionSize + " bytes exceed max-session-size ("
					+ this.limits.maxSessionSize() + " bytes)";
		}
		return null;
	}

	private static boolean isOutside(long epochMillis, long latest) {
		return epochMillis < 0 || epochMillis > latest;
	}

	private static boolean isOutside(ChangeStamp stamp, long latest) {
		return stamp.version() < 0 || stamp.version() > ChangeStamp.MAX_VERSION || stamp.epochMillis() > latest;
	}

	private String versionProblem(String field, ChangeStamp stamp, long latest) {
		if (stamp.version() < 0 || stamp.version() > ChangeStamp.MAX_VERSION) {
			return "version " + stamp.version() + " of the " + field + " is outside 0.." + ChangeStamp.MAX_VERSION;
		}
		return timeProblem("version time of the " + field, stamp.epochMillis(), latest);
	}

	private String timeProblem(String field, long epochMillis, long latest) {
		Instant time = Instant.ofEpochMilli(epochMillis);
		if (epochMillis < 0) {
			return field + " " + time + " is before 1970";
		}
		return field + " " + time + " is more than " + this.limits.maxClockSkew()
				+ " (max-clock-skew) ahead of this member's clock";
	}

}
