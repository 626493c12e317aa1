package io.sessionreplication;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.core.ConfigurableObjectInputStream;

/**
 * Turns session attribute values into bytes and back with Java serialization, the format
 * that servlet containers use for distributable sessions. Values are serialized once, on
 * the member that sets them, and deserialized lazily on the members that read them.
 * <p>
 * It does not filter classes: a member deserializes what its peers sent, so the cluster
 * must admit only trusted members.
 */
public class AttributeSerializer {

	private final ClassLoader classLoader;

	private final LongAdder deserializationFailures = new LongAdder();

	/**
	 * Create a serializer that resolves classes with the given class loader.
	 * @param classLoader the application's class loader
	 */
	public AttributeSerializer(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	/**
	 * Serialize an attribute value.
	 * @param name the attribute name
	 * @param value the value
	 * @return the value with its serialized form
	 * @throws IllegalArgumentException if the value, or anything it holds, is not
	 * serializable; the message names the attribute and the offending class
	 */
	public AttributeValue serialize(String name, Object value) {
		if (!(value instanceof Serializable)) {
			throw new IllegalArgumentException("Session attribute '" + name + "' of type " + value.getClass().getName()
					+ " is not Serializable; a replicated session can hold Serializable values only");
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
			objects.writeObject(value);
		}
		catch (NotSerializableException ex) {
			throw new IllegalArgumentException(
					"Session attribute '" + name + "' of type " + value.getClass().getName()
							+ " cannot be serialized: it holds a " + ex.getMessage() + ", which is not Serializable",
					ex);
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalArgumentException("Session attribute '" + name + "' of type " + value.getClass().getName()
					+ " cannot be serialized: " + ex, ex);
		}
		return AttributeValue.ofObject(value, out.toByteArray());
	}

	/**
	 * Deserialize an attribute value received from another member.
	 * @param name the attribute name
	 * @param bytes the serialized form
	 * @return the value
	 * @throws IllegalStateException if the bytes cannot be turned back into an object (a
	 * class missing on this member, or a corrupt value); the message names the attribute
	 */
	public Object deserialize(String name, byte[] bytes) {
		try (ConfigurableObjectInputStream in = new ConfigurableObjectInputStream(new ByteArrayInputStream(bytes),
				this.classLoader)) {
			return in.readObject();
		}
		catch (IOException | ClassNotFoundException | RuntimeException ex) {
			this.deserializationFailures.increment();
			throw new IllegalStateException("Session attribute '" + name + "' cannot be deserialized: " + ex, ex);
		}
	}

	/**
	 * How many attribute values could not be deserialized so far.
	 * @return the count
	 */
	public long getDeserializationFailures() {
		return this.deserializationFailures.sum();
	}

}
