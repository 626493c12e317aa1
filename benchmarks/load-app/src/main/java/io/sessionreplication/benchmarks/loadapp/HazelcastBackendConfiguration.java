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

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spring.session.HazelcastSessionConfiguration;
import com.hazelcast.spring.session.config.annotation.web.http.EnableHazelcastHttpSession;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile {@code hazelcast}: Hazelcast's Spring Session, on a Hazelcast member embedded
 * in each node, which Boot's Hazelcast auto-configuration starts from the {@link Config}
 * here. The members find each other over TCP on 127.0.0.1 at the ports that
 * {@link ClusterProperties} lists; multicast and the discovery of cloud environments are
 * off, and so is Hazelcast's phone home. Everything else is at Hazelcast's and Hazelcast
 * Spring Session's defaults: the sessions in a partitioned map with one synchronous
 * backup, changes written when the session is saved.
 */
@Configuration(proxyBeanMethods = false)
@Profile("hazelcast")
@EnableHazelcastHttpSession
class HazelcastBackendConfiguration {

	private static final String HOST = "127.0.0.1";

	@Bean
	Config hazelcastConfig(ClusterProperties cluster) {
		Config config = new Config();
		config.setProperty("hazelcast.phone.home.enabled", "false");
		config.setProperty("hazelcast.socket.bind.any", "false");
		NetworkConfig network = config.getNetworkConfig();
		network.setPort(cluster.getPort()).setPortAutoIncrement(false);
		network.getInterfaces().setEnabled(true).addInterface(HOST);
		JoinConfig join = network.getJoin();
		join.getMulticastConfig().setEnabled(false);
		join.getAutoDetectionConfig().setEnabled(false);
		join.getTcpIpConfig()
			.setEnabled(true)
			.setMembers(cluster.getMemberPorts().stream().map((port) -> HOST + ":" + port).toList());
		return HazelcastSessionConfiguration.applySerializationConfig(config);
	}

}
