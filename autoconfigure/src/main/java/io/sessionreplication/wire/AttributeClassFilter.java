package io.sessionreplication.wire;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Which classes an attribute value may hold, and how large its object graph may be: the
 * {@link ObjectInputFilter} of every stream that reads an attribute value, and the check
 * of every class written when a value is set.
 * <p>
 * A class is allowed when it matches an allowed pattern and no denied one: patterns in
 * {@link ObjectInputFilter.Config#createFilter} syntax ({@code java.util.*} for a
 * package, {@code com.example.**} for a package and its subpackages, a class name). The
 * {@link #DEFAULT_ALLOWED defaults} are the JDK's value and collection types and Spring
 * Security's and Spring MVC's session types; the application adds its own packages.
 * {@link #KNOWN_GADGETS Known gadget classes} are denied whatever the patterns say. An
 * array is allowed when its element type is; a primitive always. A JVM-wide filter
 * ({@code jdk.serialFilter}) still applies: what it rejects stays rejected.
 * <p>
 * It does not look inside a class's own {@code readObject} beyond what the stream reads,
 * nor decide anything about the compact forms of strings and numbers, which are not Java
 * serialization.
 */
public final class AttributeClassFilter implements ObjectInputFilter {

	/** What a session typically holds, allowed unless configured otherwise. */
	public static final List<String> DEFAULT_ALLOWED = List.of("java.lang.*", "java.util.*", "java.util.concurrent.*",
			"java.util.concurrent.atomic.*", "java.time.*", "java.math.*", "java.net.URI", "sun.util.calendar.ZoneInfo",
			"org.springframework.security.**", "org.springframework.web.servlet.FlashMap",
			"org.springframework.util.LinkedMultiValueMap", "org.springframework.util.LinkedCaseInsensitiveMap");

	/**
	 * Classes of published deserialization gadget chains, and the JDK's remote and naming
	 * classes they reach for: never allowed.
	 */
	public static final List<String> KNOWN_GADGETS = List.of("org.apache.commons.collections.functors.*",
			"org.apache.commons.collections4.functors.*", "org.apache.commons.beanutils.BeanComparator",
			"org.codehaus.groovy.runtime.*", "groovy.lang.*", "org.apache.xalan.**",
			"com.sun.org.apache.xalan.internal.**", "org.springframework.beans.factory.ObjectFactory",
			"org.springframework.beans.factory.support.AutowireUtils$*",
			"org.springframework.core.SerializableTypeWrapper$*", "org.springframework.aop.framework.*",
			"sun.reflect.annotation.AnnotationInvocationHandler", "java.rmi.**", "sun.rmi.**", "javax.management.**",
			"javax.naming.**", "com.sun.jndi.**", "com.sun.rowset.**", "java.net.URL", "com.mchange.v2.c3p0.**",
			"bsh.**", "org.mozilla.javascript.**", "org.python.core.**", "clojure.**", "org.hibernate.engine.spi.**",
			"org.hibernate.tuple.**", "org.hibernate.property.**", "com.rometools.rome.feed.impl.*",
			"com.sun.syndication.feed.impl.*", "net.sf.json.**", "org.apache.wicket.util.upload.*",
			"org.apache.myfaces.**", "com.vaadin.data.util.**");

	private final ClassPatterns allowed;

	private final ClassPatterns denied;

	private final Limits limits;

	private final @Nullable ObjectInputFilter jvmWide = ObjectInputFilter.Config.getSerialFilter();

	private AttributeClassFilter(List<String> allowed, List<String> denied, Limits limits) {
		this.allowed = ClassPatterns.of(allowed);
		List<String> allDenied = new ArrayList<>(KNOWN_GADGETS);
		allDenied.addAll(denied);
		this.denied = ClassPatterns.of(allDenied);
		this.limits = limits;
	}

	/**
	 * A filter of the {@link #DEFAULT_ALLOWED defaults} and more.
	 * @param allowed patterns allowed besides the defaults
	 * @param denied patterns denied whatever is allowed
	 * @param limits how large a value's object graph may be
	 * @return the filter
	 * @throws IllegalArgumentException if a pattern is malformed
	 */
	public static AttributeClassFilter of(List<String> allowed, List<String> denied, Limits limits) {
		List<String> all = new ArrayList<>(DEFAULT_ALLOWED);
		all.addAll(allowed);
		return new AttributeClassFilter(all, denied, limits);
	}

	/**
	 * A filter of the defaults and more, with the default limits.
	 * @param allowed patterns allowed besides the defaults
	 * @return the filter
	 */
	public static AttributeClassFilter allowing(String... allowed) {
		return of(List.of(allowed), List.of(), Limits.DEFAULTS);
	}

	/**
	 * Whether a value may hold instances of a class.
	 * @param type the class
	 * @return whether it is allowed
	 */
	public boolean isAllowed(Class<?> type) {
		Class<?> element = type;
		while (element.isArray()) {
			element = element.getComponentType();
		}
		if (element.isPrimitive()) {
			return true;
		}
		return !this.denied.matches(element) && this.allowed.matches(element);
	}

	@Override
	public Status checkInput(FilterInfo info) {
		if (this.jvmWide != null && this.jvmWide.checkInput(info) == Status.REJECTED) {
			return Status.REJECTED;
		}
		if (info.depth() > this.limits.maxDepth() || info.references() > this.limits.maxReferences()
				|| info.streamBytes() > this.limits.maxBytes() || info.arrayLength() > this.limits.maxArrayLength()) {
			return Status.REJECTED;
		}
		Class<?> type = info.serialClass();
		if (type == null) {
			return Status.UNDECIDED;
		}
		return isAllowed(type) ? Status.ALLOWED : Status.REJECTED;
	}

	/**
	 * How large the object graph of one attribute value may be.
	 *
	 * @param maxDepth how deeply objects may nest
	 * @param maxReferences how many objects and references a value may hold
	 * @param maxArrayLength how many elements an array may have
	 * @param maxBytes how many bytes of serialized form a value may have
	 */
	public record Limits(long maxDepth, long maxReferences, long maxArrayLength, long maxBytes) {

		/** Generous for real sessions, small against a hostile value. */
		public static final Limits DEFAULTS = new Limits(100, 1_000_000, 1_000_000, 16 * 1024 * 1024);

	}

}
