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

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.configuration.global.GlobalConfiguration;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.jgroups.BuiltinJGroupsChannelConfigurator;
import org.infinispan.spring.common.session.AbstractInfinispanSessionRepository.InfinispanSession;
import org.infinispan.spring.embedded.session.InfinispanEmbeddedSessionRepository;
import org.jgroups.conf.ProtocolConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InfinispanBackendConfiguration}: the configuration it gives the cache
 * manager, and two nodes configured by it, each in an application context of its own,
 * that form one cluster on 127.0.0.1 and share their sessions.
 */
class InfinispanBackendConfigurationTests {

	private static final String MPING = "MPING";

	@Test
	void membersJoinOverTcpOnLoopbackWithStaticDiscoveryOnly() {
		GlobalConfiguration global = new InfinispanBackendConfiguration()
			.globalConfiguration(cluster(15802, 15801, 15802), "load-15802");

		assertThat(global.transport().nodeName()).isEqualTo("load-15802");
		assertThat(global.transport().stack()).isEqualTo(InfinispanBackendConfiguration.STACK);
		List<ProtocolConfiguration> stack = global.transport()
			.jgroups()
			.configurator(InfinispanBackendConfiguration.STACK)
			.getProtocolStack();
		assertThat(stack).extracting(ProtocolConfiguration::getProtocolName).doesNotContain(MPING).contains("TCPPING");
		assertThat(protocol(stack, "TCP")).containsEntry("bind_addr", "127.0.0.1")
			.containsEntry("bind_port", "15802")
			.containsEntry("port_range", "0");
		assertThat(protocol(stack, "TCPPING")).containsEntry("initial_hosts", "127.0.0.1[15801],127.0.0.1[15802]")
			.containsEntry("port_range", "0");
		assertThat(protocol(stack, "FD_SOCK2")).containsEntry("bind_addr", "127.0.0.1").containsEntry("offset", "100");
		List<String> builtin = BuiltinJGroupsChannelConfigurator.TCP(new Properties())
			.getProtocolStack()
			.stream()
			.map(ProtocolConfiguration::getProtocolName)
			.toList();
		assertThat(stack).as("Infinispan's tcp stack, TCPPING in MPING's place")
			.extracting(ProtocolConfiguration::getProtocolName)
			.containsExactlyElementsOf(builtin.stream().map((name) -> name.equals(MPING) ? "TCPPING" : name).toList());
	}

	@Test
	void sessionsAreDistributedSynchronouslyWithTwoOwners() {
		Configuration sessions = new InfinispanBackendConfiguration().sessionsConfiguration();

		assertThat(sessions.clustering().cacheMode()).isEqualTo(CacheMode.DIST_SYNC);
		assertThat(sessions.clustering().hash().numOwners()).isEqualTo(2);
	}

	@Test
	void aSessionSavedOnOneNodeIsFoundWithItsAttributesOnTheOther() throws IOException {
		List<Integer> ports = FreePorts.of(2);
		node(ports.get(0), ports).run((first) -> node(ports.get(1), ports).run((second) -> {
			assertThat(first).hasNotFailed();
			assertThat(second).hasNotFailed();
			assertThat(second.getBean(DefaultCacheManager.class).getMembers()).as("one cluster of both nodes")
				.hasSize(2);
			InfinispanEmbeddedSessionRepository firstSessions = first
				.getBean(InfinispanEmbeddedSessionRepository.class);
			InfinispanEmbeddedSessionRepository secondSessions = second
				.getBean(InfinispanEmbeddedSessionRepository.class);

			InfinispanSession created = firstSessions.createSession();
			created.setAttribute("counter", 1);
			created.setAttribute("profile", "preferences:".repeat(84));
			firstSessions.save(created);

			InfinispanSession found = secondSessions.findById(created.getId());
			assertThat(found).as("the session, on the other node").isNotNull();
			assertThat(found.<Integer>getAttribute("counter")).isEqualTo(1);
			assertThat(found.<String>getAttribute("profile")).hasSize(12 * 84);

			// a change of an attribute goes as a delta: back on the first node too
			found.setAttribute("counter", 2);
			secondSessions.save(found);
			assertThat(firstSessions.findById(created.getId()).<Integer>getAttribute("counter")).isEqualTo(2);
		}));
	}

	private static ApplicationContextRunner node(int port, List<Integer> memberPorts) {
		return new ApplicationContextRunner().withUserConfiguration(InfinispanBackendConfiguration.class)
			.withBean(ClusterProperties.class, () -> cluster(port, memberPorts.toArray(Integer[]::new)))
			.withPropertyValues("spring.profiles.active=infinispan", "session.replication.member-name=load-" + port);
	}

	private static ClusterProperties cluster(int port, Integer... memberPorts) {
		ClusterProperties cluster = new ClusterProperties();
		cluster.setPort(port);
		cluster.setMemberPorts(List.of(memberPorts));
		return cluster;
	}

	private static Map<String, String> protocol(List<ProtocolConfiguration> stack, String name) {
		return stack.stream()
			.filter((protocol) -> protocol.getProtocolName().equals(name))
			.findFirst()
			.orElseThrow()
			.getProperties();
	}

}
