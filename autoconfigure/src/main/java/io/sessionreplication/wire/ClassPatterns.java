package io.sessionreplication.wire;

import java.io.ObjectInputFilter;
import java.io.ObjectInputFilter.FilterInfo;
import java.io.ObjectInputFilter.Status;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A list of class patterns, as in
 * {@code session.replication.serialization.allowed-classes}: a class name,
 * {@code package.*} (the classes of a package), {@code package.**} (and of its
 * sub-packages) or a prefix ending in {@code *}, with {@link ObjectInputFilter}'s
 * meaning. It matches a class by its name only: neither its arrays nor its supertypes.
 */
public final class ClassPatterns {

	/** The filter of the patterns, {@code null} for none. */
	private final @Nullable ObjectInputFilter filter;

	private ClassPatterns(@Nullable ObjectInputFilter filter) {
		this.filter = filter;
	}

	/**
	 * Compile patterns.
	 * @param patterns the patterns, each checked with {@link #requirePattern}
	 * @return the patterns, compiled
	 * @throws IllegalArgumentException if a pattern is malformed
	 */
	public static ClassPatterns of(List<String> patterns) {
		patterns.forEach(ClassPatterns::requirePattern);
		return new ClassPatterns(ObjectInputFilter.Config.createFilter(String.join(";", patterns)));
	}

	/**
	 * Check that a pattern names classes: a class name, {@code package.*},
	 * {@code package.**} or a prefix ending in {@code *}.
	 * @param pattern the pattern
	 * @throws IllegalArgumentException if it does not, saying why
	 */
	public static void requirePattern(String pattern) {
		if (pattern.isBlank() || pattern.contains(";") || pattern.startsWith("!") || pattern.contains("=")
				|| pattern.contains("/") || pattern.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("it is not a class pattern: a class name, package.* or package.** "
					+ "(ObjectInputFilter syntax, without '!', ';' or limits)");
		}
	}

	/**
	 * Whether a class matches one of the patterns.
	 * @param type the class
	 * @return whether it does
	 */
	public boolean matches(Class<?> type) {
		return this.filter != null && this.filter.checkInput(new ClassOnly(type)) == Status.ALLOWED;
	}

	/** What a filter is asked about a class alone, outside any stream. */
	private record ClassOnly(Class<?> serialClass) implements FilterInfo {

		@Override
		public long arrayLength() {
			return -1;
		}

		@Override
		public long depth() {
			return 0;
		}

		@Override
		public long references() {
			return 0;
		}

		@Override
		public long streamBytes() {
			return 0;
		}

	}

}
