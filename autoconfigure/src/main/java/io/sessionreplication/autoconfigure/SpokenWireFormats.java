package io.sessionreplication.autoconfigure;

import io.sessionreplication.cluster.WireFormats;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.MessageLimits;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;

/**
 * The wire formats this member speaks and announces: every format of this release, or,
 * for tests of rolling upgrades only, those of the release before. With the
 * {@value #PREVIOUS_RELEASE_ONLY} property {@code true}, a member speaks only the oldest
 * format of this release and announces what the release before announced (nothing, for
 * the releases before the announcements): one build can then play both sides of a rolling
 * upgrade. The property is not a {@code session.replication} property on purpose: it
 * exists for tests, not for applications.
 */
final class SpokenWireFormats {

	/** The property that makes a member play the release before, for tests. */
	static final String PREVIOUS_RELEASE_ONLY = "io.sessionreplication.test.previous-wire-format-only";

	private final boolean previousReleaseOnly;

	private SpokenWireFormats(boolean previousReleaseOnly) {
		this.previousReleaseOnly = previousReleaseOnly;
	}

	static SpokenWireFormats of(Environment environment) {
		return new SpokenWireFormats(environment.getProperty(PREVIOUS_RELEASE_ONLY, Boolean.class, false));
	}

	/**
	 * What this member's address announces.
	 * @return the formats, or {@code null} to announce none
	 */
	@Nullable WireFormats announced() {
		if (!this.previousReleaseOnly) {
			return new WireFormats(ClusterMessageCodec.OLDEST_FORMAT, ClusterMessageCodec.NEWEST_FORMAT);
		}
		return (ClusterMessageCodec.OLDEST_FORMAT == ClusterMessageCodec.FORMAT_OF_SILENT_RELEASES) ? null
				: new WireFormats(ClusterMessageCodec.OLDEST_FORMAT, ClusterMessageCodec.OLDEST_FORMAT);
	}

	/**
	 * The codec of this member.
	 * @param limits what a received message may hold
	 * @return the codec, which speaks the formats this member announces
	 */
	ClusterMessageCodec codec(MessageLimits limits) {
		return this.previousReleaseOnly
				? new ClusterMessageCodec(limits, ClusterMessageCodec.OLDEST_FORMAT, ClusterMessageCodec.OLDEST_FORMAT)
				: new ClusterMessageCodec(limits);
	}

}
