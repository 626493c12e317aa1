package io.sessionreplication.wire;

import org.jspecify.annotations.Nullable;

/**
 * A session attribute value as it travels and is kept on every copy: its serialized
 * bytes. The object itself is deserialized only when the attribute is first read on this
 * member, so a member never needs an attribute's class to hold or forward a session. On
 * the member that set it, the object is known from the start and never deserialized. A
 * value that cannot be deserialized here is tried once: later reads fail at once with the
 * same exception.
 */
public final class AttributeValue {

	private final byte[] bytes;

	private volatile @Nullable Object object;

	private volatile @Nullable UnreadableAttributeException failure;

	private AttributeValue(byte[] bytes, @Nullable Object object) {
		this.bytes = bytes;
		this.object = object;
	}

	/**
	 * A value set on this member: both the object and its serialized form are known.
	 * @param object the attribute value
	 * @param bytes its serialized form
	 * @return the value
	 */
	static AttributeValue ofObject(Object object, byte[] bytes) {
		return new AttributeValue(bytes, object);
	}

	/**
	 * A value received from another member: only its serialized form is known.
	 * @param bytes the serialized form
	 * @return the value
	 */
	public static AttributeValue ofBytes(byte[] bytes) {
		return new AttributeValue(bytes, null);
	}

	/**
	 * The serialized form. The caller must not modify the array.
	 * @return the bytes
	 */
	public byte[] bytes() {
		return this.bytes;
	}

	/**
	 * The value, if this member knows it: it set it, or deserialized it at a read.
	 * @return the value, or {@code null} if it was never deserialized here
	 */
	public @Nullable Object knownObject() {
		return this.object;
	}

	/**
	 * The value, deserialized with {@code serializer} on first use.
	 * @param name the attribute name, for error messages
	 * @param serializer the serializer
	 * @return the attribute value
	 * @throws UnreadableAttributeException if it cannot be deserialized on this member,
	 * now or at an earlier read
	 */
	public Object get(String name, AttributeSerializer serializer) {
		Object value = this.object;
		if (value == null) {
			UnreadableAttributeException failure = this.failure;
			if (failure != null) {
				throw failure;
			}
			try {
				value = serializer.deserialize(name, this.bytes);
			}
			catch (UnreadableAttributeException ex) {
				this.failure = ex;
				throw ex;
			}
			this.object = value;
		}
		return value;
	}

}
