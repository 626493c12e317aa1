/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.sessionreplication.benchmarks.loadapp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfiguration;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.jgroups.BuiltinJGroupsChannelConfigurator;
import org.infinispan.remoting.transport.jgroups.EmbeddedJGroupsChannelConfigurator;
import org.infinispan.spring.embedded.provider.SpringEmbeddedCacheManager;
import org.infinispan.spring.embedded.session.configuration.EnableInfinispanEmbeddedHttpSession;
import org.jgroups.conf.ProtocolConfiguration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile {@code infinispan}: Infinispan's Spring Session
 * ({@link EnableInfinispanEmbeddedHttpSession}) on an Infinispan cache manager embedded
 * in each node, which this configuration starts; Infinispan's Spring Boot starter is not
 * used, so no profile auto-configures anything of Infinispan.
 * <p>
 * The members form one JGroups cluster on Infinispan's built-in {@code tcp} stack with
 * three changes: TCP binds to 127.0.0.1 at the port that {@link ClusterProperties} gives,
 * and to that port only; discovery is static (TCPPING, the ports
 * {@link ClusterProperties} lists) instead of multicast (MPING); FD_SOCK2 listens on
 * 127.0.0.1 too (instead of every address), 100 above that port (JGroups' default)
 * instead of Infinispan's 50,000, which is past the last port for most of the ports the
 * benchmark draws.
 * <p>
 * The sessions are in the cache {@value #SESSIONS}, distributed and synchronous
 * ({@code DIST_SYNC}) with 2 owners: Infinispan's default for a distributed cache, and
 * what WildFly uses for web sessions. Each session is stored as ProtoStream, Infinispan's
 * encoding for Spring Session's {@code MapSession}. Everything else is at Infinispan's
 * and its Spring Session's defaults: changes written when the session is saved, a change
 * of attributes sent as a delta to the owners, the session's maximum inactive interval as
 * the entry's lifespan. Nothing here tunes Infinispan for the benchmark.
 */
@Configuration(proxyBeanMethods = false)
@Profile("infinispan")
@EnableInfinispanEmbeddedHttpSession
class InfinispanBackendConfiguration {

	/** The cache of the sessions, the one Infinispan's Spring Session uses by default. */
	static final String SESSIONS = EnableInfinispanEmbeddedHttpSession.DEFAULT_CACHE_NAME;

	/** The name of the JGroups stack built here. */
	static final String STACK = "load-app-tcp";

	private static final String HOST = "127.0.0.1";

	private static final String CLUSTER_NAME = "load-app-infinispan";

	@Bean(destroyMethod = "stop")
	DefaultCacheManager infinispanCacheManager(ClusterProperties cluster,
			@Value("${session.replication.member-name}") String node) {
		DefaultCacheManager cacheManager = new DefaultCacheManager(globalConfiguration(cluster, node), false);
		cacheManager.defineConfiguration(SESSIONS, sessionsConfiguration());
		cacheManager.start();
		return cacheManager;
	}

	@Bean
	SpringEmbeddedCacheManager springEmbeddedCacheManager(DefaultCacheManager infinispanCacheManager) {
		return new SpringEmbeddedCacheManager(infinispanCacheManager);
	}

	/**
	 * The cache manager's configuration: the transport on the stack {@value #STACK}.
	 * @param cluster the ports of this member and of all members
	 * @param node the name of this member
	 * @return the configuration
	 */
	GlobalConfiguration globalConfiguration(ClusterProperties cluster, String node) {
		GlobalConfigurationBuilder global = new GlobalConfigurationBuilder();
		global.transport().defaultTransport().clusterName(CLUSTER_NAME).nodeName(node).stack(STACK);
		Properties tcp = new Properties();
		tcp.setProperty("jgroups.bind.address", HOST);
		tcp.setProperty("jgroups.bind.port", String.valueOf(cluster.getPort()));
		tcp.setProperty("jgroups.port_range", "0");
		BuiltinJGroupsChannelConfigurator builtin = BuiltinJGroupsChannelConfigurator.TCP(tcp);
		global.transport().jgroups().addStackFile(builtin.getName()).fileChannelConfigurator(builtin);
		global.transport()
			.jgroups()
			.addStack(STACK)
			.extend(builtin.getName())
			.channelConfigurator(new EmbeddedJGroupsChannelConfigurator(STACK,
					List.of(staticDiscovery(cluster), failureDetectionOnLoopback()), null));
		return global.build();
	}

	/**
	 * The configuration of the cache {@value #SESSIONS}.
	 * @return the configuration
	 */
	org.infinispan.configuration.cache.Configuration sessionsConfiguration() {
		ConfigurationBuilder sessions = new ConfigurationBuilder();
		sessions.clustering().cacheMode(CacheMode.DIST_SYNC).hash().numOwners(2);
		sessions.encoding().mediaType(MediaType.APPLICATION_PROTOSTREAM);
		return sessions.build();
	}

	private static ProtocolConfiguration staticDiscovery(ClusterProperties cluster) {
		Map<String, String> properties = new HashMap<>();
		// in MPING's place in the stack it extends
		properties.put("stack.combine", "REPLACE");
		properties.put("stack.position", "MPING");
		properties.put("initial_hosts",
				cluster.getMemberPorts()
					.stream()
					.map((port) -> HOST + "[" + port + "]")
					.collect(Collectors.joining(",")));
		properties.put("port_range", "0");
		return new ProtocolConfiguration("TCPPING", properties);
	}

	private static ProtocolConfiguration failureDetectionOnLoopback() {
		// combined with the settings of the stack it extends
		Map<String, String> properties = new HashMap<>();
		properties.put("bind_addr", HOST);
		properties.put("offset", "100");
		return new ProtocolConfiguration("FD_SOCK2", properties);
	}

}
