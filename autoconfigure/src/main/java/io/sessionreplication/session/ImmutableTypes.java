package io.sessionreplication.session;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.sessionreplication.wire.ClassPatterns;

/**
 * The types whose instances cannot change once made, so that an attribute of such a type
 * read in a request cannot have been changed in place, and
 * {@link org.springframework.session.SaveMode#ON_GET_ATTRIBUTE} need not serialize it
 * again: {@code String}, the boxed primitives, {@code UUID}, enums, the types of
 * {@code java.time} and its sub-packages, the types that match the application's patterns
 * ({@code session.replication.immutable-classes}), and the types annotated with an
 * annotation named {@code Immutable}, of any package, retained at run time. It trusts the
 * patterns and the annotations: it does not check that such a type has no mutable state.
 */
public final class ImmutableTypes {

	private static final Set<Class<?>> KNOWN = Set.of(String.class, Boolean.class, Character.class, Byte.class,
			Short.class, Integer.class, Long.class, Float.class, Double.class, UUID.class);

	private final ClassPatterns patterns;

	private final ClassValue<Boolean> immutable = new ClassValue<>() {
		@Override
		protected Boolean computeValue(Class<?> type) {
			return isKnown(type) || ImmutableTypes.this.patterns.matches(type) || isAnnotatedImmutable(type);
		}
	};

	private ImmutableTypes(ClassPatterns patterns) {
		this.patterns = patterns;
	}

	/**
	 * The known immutable types and those of the application.
	 * @param patterns class patterns of the application's immutable types, as in
	 * {@link ClassPatterns}
	 * @return the types
	 * @throws IllegalArgumentException if a pattern is malformed
	 */
	public static ImmutableTypes of(List<String> patterns) {
		return new ImmutableTypes(ClassPatterns.of(patterns));
	}

	/**
	 * Whether the instances of a type cannot change.
	 * @param type the type
	 * @return whether they cannot
	 */
	public boolean isImmutable(Class<?> type) {
		return this.immutable.get(type);
	}

	private static boolean isKnown(Class<?> type) {
		String packageName = type.getPackageName();
		return KNOWN.contains(type) || Enum.class.isAssignableFrom(type) || packageName.equals("java.time")
				|| packageName.startsWith("java.time.");
	}

	private static boolean isAnnotatedImmutable(Class<?> type) {
		for (Annotation annotation : type.getAnnotations()) {
			if (annotation.annotationType().getSimpleName().equals("Immutable")) {
				return true;
			}
		}
		return false;
	}

}
