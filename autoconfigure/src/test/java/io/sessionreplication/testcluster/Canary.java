package io.sessionreplication.testcluster;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A serializable object that counts the times it is deserialized, as a gadget would do
 * harm: what deserialization tests send where nothing may be deserialized.
 */
public final class Canary implements Serializable {

	private static final long serialVersionUID = 1L;

	/** How many times a canary was deserialized since the last {@code set(0)}. */
	public static final AtomicInteger runs = new AtomicInteger();

	private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
		in.defaultReadObject();
		runs.incrementAndGet();
	}

}
