package io.sessionreplication.wire;

import java.time.Clock;
import java.time.Duration;

import org.springframework.util.Assert;

/**
 * What a received message may hold, beyond being well formed: the largest attribute value
 * and the largest session (its values added up), and how far ahead of this member's clock
 * a time it carries may be. An honest member never sends more, when every member has the
 * same limits: it refuses a larger value when the application sets it.
 *
 * @param maxAttributeSize the largest serialized attribute value, in bytes
 * @param maxSessionSize the largest sum of the serialized values of one message, in bytes
 * @param maxClockSkew how far ahead of the receiver's clock a creation time, access time
 * or the time of a change stamp may be
 * @param clock the receiver's clock
 */
public record MessageLimits(long maxAttributeSize, long maxSessionSize, Duration maxClockSkew, Clock clock) {

	/** The default largest serialized attribute value: 1 MB. */
	public static final long DEFAULT_MAX_ATTRIBUTE_SIZE = 1024 * 1024;

	/** The default largest session, its serialized attribute values added up: 4 MB. */
	public static final long DEFAULT_MAX_SESSION_SIZE = 4 * 1024 * 1024;

	/**
	 * The default largest clock skew: 5 minutes, as Kerberos allows. Clocks kept by NTP
	 * differ by milliseconds; a time further ahead than this is forged or from a broken
	 * clock, and would keep a session alive for as long.
	 */
	public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

	/** The default limits, on the system clock. */
	public static final MessageLimits DEFAULTS = new MessageLimits(DEFAULT_MAX_ATTRIBUTE_SIZE, DEFAULT_MAX_SESSION_SIZE,
			DEFAULT_MAX_CLOCK_SKEW, Clock.systemUTC());

	public MessageLimits {
		Assert.isTrue(maxAttributeSize > 0, "'maxAttributeSize' must be positive");
		Assert.isTrue(maxSessionSize > 0, "'maxSessionSize' must be positive");
		Assert.isTrue(!maxClockSkew.isNegative(), "'maxClockSkew' must not be negative");
	}

}
