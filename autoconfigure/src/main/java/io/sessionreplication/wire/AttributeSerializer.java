package io.sessionreplication.wire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

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
 * Java serialization goes through an {@link AttributeClassFilter}: a value that holds a
 * class it does not allow is refused when it is set, and a stream that declares one, or
 * an object graph beyond its limits, is refused when it is read, before the class is
 * instantiated.
 */
public class AttributeSerializer {

	/** The form of a value serialized with Java serialization. */
	private static final byte JAVA_SERIALIZATION = 0;

	private static final byte STRING = 1;

	private static final byte INTEGER = 2;

	private static final byte LONG = 3;

	private static final byte BOOLEAN = 4;

	private final ClassLoader classLoader;

	private final AttributeClassFilter filter;

	private final LongAdder deserializationFailures = new LongAdder();

	/**
	 * Create a serializer that resolves classes with the given class loader.
	 * @param classLoader the application's class loader
	 * @param filter which classes values may hold, and how large they may be
	 */
	public AttributeSerializer(ClassLoader classLoader, AttributeClassFilter filter) {
		this.classLoader = classLoader;
		this.filter = filter;
	}

	/**
	 * Serialize an attribute value.
	 * @param name the attribute name
	 * @param value the value
	 * @return the value with its serialized form
	 * @throws IllegalArgumentException if the value, or anything it holds, is not
	 * serializable or not allowed by the filter; the message names the attribute and the
	 * offending class
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
		try (ObjectOutputStream objects = new FilteredOutputStream(out)) {
			objects.writeObject(value);
		}
		catch (ClassNotAllowedException ex) {
			throw new IllegalArgumentException("Session attribute '" + name + "' of type " + value.getClass().getName()
					+ " holds a " + ex.getMessage() + ", which session attributes may not hold: allow it with "
					+ "session.replication.serialization.allowed-classes (a class name, package.* or package.**)", ex);
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
		RejectionRecorder recorder = new RejectionRecorder(this.filter);
		try (ConfigurableObjectInputStream in = new ConfigurableObjectInputStream(
				new ByteArrayInputStream(bytes, 1, bytes.length - 1), this.classLoader)) {
			in.setObjectInputFilter(recorder);
			return in.readObject();
		}
		catch (InvalidClassException ex) {
			String rejected = recorder.rejected;
			if (rejected != null) {
				throw new InvalidClassException(rejected + ", which session attributes may not hold "
						+ "(session.replication.serialization.allowed-classes and limits)");
			}
			throw ex;
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
	 * Writes a value, refusing any class the filter does not allow.
	 */
	private final class FilteredOutputStream extends ObjectOutputStream {

		FilteredOutputStream(WireWriter out) throws IOException {
			super(out);
		}

		/**
		 * Refuses a class the filter does not allow. Not an {@link IOException}: when a
		 * write fails, the stream writes the exception that failed it, whose class is
		 * none of a value's (and a value holding an {@code IOException} is still refused
		 * where it is read).
		 */
		@Override
		protected void annotateClass(Class<?> type) throws IOException {
			if (!IOException.class.isAssignableFrom(type) && !AttributeSerializer.this.filter.isAllowed(type)) {
				throw new ClassNotAllowedException(type.getName());
			}
		}

		@Override
		protected void annotateProxyClass(Class<?> type) throws IOException {
			annotateClass(type);
		}

	}

	/** A class the filter does not allow, met while writing a value. */
	private static final class ClassNotAllowedException extends IOException {

		ClassNotAllowedException(String className) {
			super(className);
		}

	}

	/**
	 * The filter of one read, remembering what it rejected first: the stream says only
	 * that something was.
	 */
	private static final class RejectionRecorder implements ObjectInputFilter {

		private final AttributeClassFilter filter;

		private volatile @Nullable String rejected;

		RejectionRecorder(AttributeClassFilter filter) {
			this.filter = filter;
		}

		@Override
		public Status checkInput(FilterInfo info) {
			Status status = this.filter.checkInput(info);
			if (status == Status.REJECTED && this.rejected == null) {
				Class<?> type = info.serialClass();
				this.rejected = (type != null && !this.filter.isAllowed(type)) ? "class " + type.getName()
						: "an object graph beyond the limits or the JVM-wide filter (depth " + info.depth() + ", "
								+ info.references() + " references, " + info.streamBytes() + " bytes, array length "
								+ info.arrayLength() + ")";
			}
			return status;
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
