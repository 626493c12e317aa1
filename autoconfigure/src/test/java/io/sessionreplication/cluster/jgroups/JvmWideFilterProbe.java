package io.sessionreplication.cluster.jgroups;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;

import org.jgroups.JChannel;
import org.jgroups.util.ObjectInputStreamWithClassloader;

import org.springframework.core.io.ClassPathResource;

import static io.sessionreplication.testcluster.SeparateJvm.ok;
import static io.sessionreplication.testcluster.SeparateJvm.require;

/**
 * Run in a JVM of its own by {@link DeserializationFilterTests}, started with a JVM-wide
 * filter ({@code jdk.serialFilter}) of the application's: builds a channel, then checks
 * that JGroups' streams refuse everything while the application's own streams still
 * follow the application's filter: a
 * {@link io.sessionreplication.testcluster.SeparateJvm} probe.
 */
public final class JvmWideFilterProbe {

	private JvmWideFilterProbe() {
	}

	public static void main(String[] args) throws Exception {
		JGroupsChannelFactory factory = new JGroupsChannelFactory();
		factory.setConfig(new ClassPathResource("test-stack.xml"));
		try (JChannel channel = factory.createChannel("probe")) {
			require(!readsInJGroups(Integer.valueOf(1)), "JGroups read an Integer");
			require(readsInTheApplication(Integer.valueOf(1)), "the application's filter refused an Integer");
			require(!readsInTheApplication(new ArrayList<>()), "the application's filter let an ArrayList in");
		}
		ok();
	}

	private static boolean readsInJGroups(Object object) throws IOException, ClassNotFoundException {
		return reads(new ObjectInputStreamWithClassloader(new ByteArrayInputStream(serialize(object))));
	}

	private static boolean readsInTheApplication(Object object) throws IOException, ClassNotFoundException {
		return reads(new ObjectInputStream(new ByteArrayInputStream(serialize(object))));
	}

	private static boolean reads(ObjectInputStream in) throws IOException, ClassNotFoundException {
		try (in) {
			in.readObject();
			return true;
		}
		catch (InvalidClassException ex) {
			return false;
		}
	}

	private static byte[] serialize(Object object) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(object);
		}
		return bytes.toByteArray();
	}

}
