package io.sessionreplication.autoconfigure;

import io.sessionreplication.cluster.jgroups.JGroupsChannelFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * Secures the cluster traffic with the SSL bundle named by
 * {@code session.replication.ssl.bundle}: its key and trust material, its protocols and
 * cipher suites. A bundle that is reloaded later ({@code reload-on-update}) is not taken
 * up by a running member: the member says so, and uses the new material once restarted.
 */
final class ClusterTls {

	private static final Log logger = LogFactory.getLog(ClusterTls.class);

	private ClusterTls() {
	}

	/**
	 * Give the channel factory the bundle's TLS context.
	 * @param bundleName the name of the bundle
	 * @param sslBundles the application's bundles
	 * @param channelFactory the factory of the member's channel
	 * @throws InvalidConfigurationPropertyValueException if there is no such bundle
	 */
	static void apply(String bundleName, SslBundles sslBundles, JGroupsChannelFactory channelFactory) {
		SslBundle bundle;
		try {
			bundle = sslBundles.getBundle(bundleName);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException("session.replication.ssl.bundle", bundleName,
					"no SSL bundle of that name is defined (spring.ssl.bundle.pem." + bundleName
							+ ".* or spring.ssl.bundle.jks." + bundleName + ".*); the bundles are "
							+ sslBundles.getBundleNames());
		}
		SslOptions options = bundle.getOptions();
		channelFactory.setTls(bundle.createSslContext(), options.getEnabledProtocols(), options.getCiphers());
		sslBundles.addBundleUpdateHandler(bundleName,
				(updated) -> logger.warn("SSL bundle '" + bundleName
						+ "' was updated: the cluster traffic of this member keeps the material it started with "
						+ "until it is restarted"));
	}

}
