package io.sessionreplication.cluster.jgroups;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jgroups.util.ObjectInputStreamWithClassloader;

/**
 * Closes JGroups' own Java deserialization with a deny-all filter. JGroups deserializes a
 * Java-serialized payload (an {@code ObjectMessage} wrapping a {@code Serializable}, or a
 * reply flagged as serialized) as soon as its transport reads it, before any membership
 * or cluster-name check; session-replication sends only bytes it encodes itself, so no
 * legitimate member ever needs that.
 * <p>
 * JGroups reads the system property {@value #PROPERTY} once, when its object stream class
 * is initialized. {@link #install()} sets it to {@value #DENY_ALL} unless the application
 * set it (that choice is respected), then checks that the filter is in force: if JGroups
 * initialized that class before, in this JVM, without the property, it fails rather than
 * run unfiltered. It touches neither {@code jdk.serialFilter} nor the JVM-wide filter, so
 * an application's own filter keeps working for everything else.
 */
final class DeserializationFilter {

	/** The system property JGroups reads its filter from. */
	static final String PROPERTY = "jgroups.deserialization.filter";

	/** Rejects every class, with depth and size limits for good measure. */
	static final String DENY_ALL = "maxdepth=1;maxrefs=1;maxbytes=1024;!*";

	private static final Log logger = LogFactory.getLog(DeserializationFilter.class);

	private DeserializationFilter() {
	}

	/**
	 * Put the filter in place, before this JVM's first JGroups channel.
	 * @throws IllegalStateException if JGroups already deserializes without a filter
	 */
	static synchronized void install() {
		String configured = System.getProperty(PROPERTY);
		if (configured != null) {
			logger.debug("JGroups deserializes with the filter the application set in " + PROPERTY);
			return;
		}
		System.setProperty(PROPERTY, DENY_ALL);
		if (!jgroupsRejects(Integer.valueOf(0))) {
			throw new IllegalStateException("JGroups deserializes Java objects from the network without a filter: "
					+ "it was loaded before session-replication could set " + PROPERTY + ". Start the JVM with -D"
					+ PROPERTY + "='!*'");
		}
	}

	/**
	 * Whether JGroups' object stream refuses to read a serialized object.
	 */
	private static boolean jgroupsRejects(Object harmless) {
		try (ObjectInputStream in = new ObjectInputStreamWithClassloader(
				new ByteArrayInputStream(serialize(harmless)))) {
			in.readObject();
			return false;
		}
		catch (InvalidClassException ex) {
			return true;
		}
		catch (IOException | ClassNotFoundException ex) {
			throw new IllegalStateException("Could not check JGroups' deserialization filter", ex);
		}
	}

	private static byte[] serialize(Object object) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(object);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return bytes.toByteArray();
	}

}
