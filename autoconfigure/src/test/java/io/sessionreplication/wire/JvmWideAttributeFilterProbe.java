package io.sessionreplication.wire;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

import io.sessionreplication.testcluster.SeparateJvm;

import static io.sessionreplication.testcluster.SeparateJvm.ok;
import static io.sessionreplication.testcluster.SeparateJvm.require;

/**
 * Run in a JVM of its own by {@link AttributeClassFilterTests}, started with a JVM-wide
 * filter ({@code jdk.serialFilter}) that rejects {@link ArrayList}, which the attribute
 * class filter's defaults allow: checks that an attribute value holding one is then
 * unreadable, while a value that both filters allow still reads. A {@link SeparateJvm}
 * probe.
 */
public final class JvmWideAttributeFilterProbe {

	private JvmWideAttributeFilterProbe() {
	}

	public static void main(String[] args) {
		require(ObjectInputFilter.Config.getSerialFilter() != null, "no JVM-wide filter is set");
		AttributeSerializer serializer = new AttributeSerializer(JvmWideAttributeFilterProbe.class.getClassLoader(),
				AttributeClassFilter.allowing());
		// writing follows only the attribute class filter, which allows both
		byte[] rejected = serializer.serialize("cart", new ArrayList<>(List.of("book"))).bytes();
		byte[] allowed = serializer.serialize("cart", new LinkedList<>(List.of("book"))).bytes();

		require(unreadable(serializer, rejected), "an ArrayList was read despite the JVM-wide filter");
		require(!unreadable(serializer, allowed), "a LinkedList, which both filters allow, was not read");
		require(serializer.getDeserializationFailures() == 1,
				"failures counted: " + serializer.getDeserializationFailures());
		ok();
	}

	private static boolean unreadable(AttributeSerializer serializer, byte[] bytes) {
		try {
			Object value = AttributeValue.ofBytes(bytes).get("cart", serializer);
			require(value.equals(List.of("book")), "read " + value);
			return false;
		}
		catch (UnreadableAttributeException ex) {
			require(ex.getMessage().contains("'cart'") && ex.getMessage().contains("JVM-wide filter"),
					"the failure names neither the attribute nor the JVM-wide filter: " + ex);
			return true;
		}
	}

}
