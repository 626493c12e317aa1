package io.sessionreplication.cluster.jgroups;

import java.io.InputStream;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.springframework.core.io.ClassPathResource;

/**
 * A TLS context of a cluster member, from the test key stores in
 * {@code src/test/resources/tls} (see {@code make-certificates.sh} there), built with
 * plain JSSE, as a transport test has no Spring Boot SSL bundles.
 */
final class TestTls {

	private static final char[] PASSWORD = "secret".toCharArray();

	private TestTls() {
	}

	/**
	 * The context of {@code member-b}: its key, and the cluster's CA as trust material.
	 * @return the context
	 * @throws Exception if the key stores cannot be read
	 */
	static SSLContext memberContext() throws Exception {
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(load("tls/member-b.jks"), PASSWORD);
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(load("tls/cluster-truststore.jks"));
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
		return context;
	}

	private static KeyStore load(String location) throws Exception {
		KeyStore store = KeyStore.getInstance("JKS");
		try (InputStream in = new ClassPathResource(location).getInputStream()) {
			store.load(in, PASSWORD);
		}
		return store;
	}

}
