package io.sessionreplication.wire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.core.ConfigurableObjectInputStream;

/**
 * Turns session attribute values into bytes and back, the first byte saying which form
 * follows. A {@link String}, {@link Integer}, {@link Long} or {@link Boolean}, the values
 * a session holds most, takes a compact form of its own (a string in modified UTF-8,
 * numbers big-endian), which is an order of magnitude cheaper to write and read than Java
 * serialization. Any other value takes Java serialization, the format that servlet
 * containers use for distributable sessions. Values are serialized once, on the member
 * that sets them, and deserialized lazily on the members that read them.
 * <p>
 * It does not filter classes: a member deserializes what its peers sent, so the cluster
 * must admit only trusted members.
 */
public class AttributeSerializer {

	/** The form of a value serialized with Java serialization. */
	private static final byte JAVA_SERIALIZATION = 0;

	private static final byte STRING = 1;

	private static final byte INTEGER = 2;

	private static final byte LONG = 3;

	private static final byte BOOLEAN = 4;

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
		return AttributeValue.ofObject(value, toBytes(name, value));
	}

	private byte[] toBytes(String name, Object value) {
		WireWriter out;
		if (value instanceof String string) {
			// as long as the string when it is ASCII
			out = start(STRING, 1 + string.length());
			out.writeModifiedUtf8(string);
		}
		else if (value instanceof Integer number) {
			out = start(INTEGER, 5);
			out.writeInt(number);
		}
		else if (value instanceof Long number) {
			out = start(LONG, 9);
			out.writeLong(number);
		}
		else if (value instanceof Boolean bool) {
			out = start(BOOLEAN, 2);
			out.writeBoolean(bool);
		}
		else {
			out = start(JAVA_SERIALIZATION, 256);
			writeObject(out, name, value);
		}
		return out.toByteArray();
	}

	private static WireWriter start(byte form, int capacity) {
		WireWriter out = new WireWriter(capacity);
		out.writeByte(form);
		return out;
	}

	private void writeObject(WireWriter out, String name, Object value) {
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
	}

	/**
	 * Deserialize an attribute value received from another member.
	 * @param name the attribute name
	 * @param bytes the serialized form
	 * @return the value
	 * @throws UnreadableAttributeException if the bytes cannot be turned back into an
	 * object (a class missing on this member or changed incompatibly, a corrupt value, a
	 * {@code readObject} that failed); the message names the attribute
	 */
	public Object deserialize(String name, byte[] bytes) {
		try {
			WireReader in = new WireReader(bytes);
			byte form = in.readByte();
			if (form == JAVA_SERIALIZATION) {
				return readObject(bytes);
			}
			Object value = switch (form) {
				case STRING -> in.readModifiedUtf8(in.remaining());
				case INTEGER -> in.readInt();
				case LONG -> in.readLong();
				case BOOLEAN -> readBoolean(in);
				default -> throw new IllegalArgumentException("unknown form " + form);
			};
			if (in.remaining() != 0) {
				throw new IllegalArgumentException(in.remaining() + " trailing bytes");
			}
			return value;
		}
		catch (IOException | ClassNotFoundException | RuntimeException | LinkageError | StackOverflowError ex) {
			this.deserializationFailures.increment();
			throw new UnreadableAttributeException(name, ex);
		}
	}

	private Object readObject(byte[] bytes) throws IOException, ClassNotFoundException {
		try (ConfigurableObjectInputStream in = new ConfigurableObjectInputStream(
				new ByteArrayInputStream(bytes, 1, bytes.length - 1), this.classLoader)) {
			return in.readObject();
		}
	}

	private static Boolean readBoolean(WireReader in) {
		byte value = in.readByte();
		if (value != 0 && value != 1) {
			throw new IllegalArgumentException("boolean " + value);
		}
		return value == 1;
	}

	/**
	 * How many attribute values could not be deserialized so far.
	 * @return the count
	 */
	public long getDeserializationFailures() {
		return this.deserializationFailures.sum();
	}

}
