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

import java.util.Arrays;
import java.util.List;

import org.apache.catalina.Context;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardEngine;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.ha.session.BackupManager;
import org.apache.catalina.ha.tcp.ReplicationValve;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipService;
import org.apache.catalina.tribes.transport.nio.NioReceiver;
import org.junit.jupiter.api.Test;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TomcatClusterCustomizer}: what it sets on a context and its engine;
 * nothing is started.
 */
class TomcatClusterCustomizerTests {

	@Test
	void engineGetsAStaticClusterOnLoopbackWithTheReplicationValveOnly() {
		ClusterProperties cluster = new ClusterProperties();
		cluster.setPort(14001);
		cluster.setMemberPorts(List.of(14000, 14001, 14002));
		StandardEngine engine = new StandardEngine();
		Context context = contextIn(engine);

		customize(new TomcatClusterCustomizer(cluster, BackupManager::new), context);

		assertThat(context.getDistributable()).isTrue();
		SimpleTcpCluster tcpCluster = (SimpleTcpCluster) engine.getCluster();
		assertThat(tcpCluster.getManagerTemplate()).isInstanceOf(BackupManager.class);
		assertThat(tcpCluster.getValves()).extracting(Valve::getClass).containsExactly(ReplicationValve.class);
		GroupChannel channel = (GroupChannel) tcpCluster.getChannel();
		NioReceiver receiver = (NioReceiver) channel.getChannelReceiver();
		assertThat(receiver.getAddress()).isEqualTo("127.0.0.1");
		assertThat(receiver.getPort()).isEqualTo(14001);
		List<StaticMember> members = ((StaticMembershipService) channel.getMembershipService()).getStaticMembers();
		assertThat(members).extracting(StaticMember::getHostname).containsOnly("127.0.0.1");
		assertThat(members).extracting(StaticMember::getPort).containsExactly(14000, 14001, 14002);
		assertThat(members).extracting((member) -> Arrays.toString(member.getUniqueId())).doesNotHaveDuplicates();
	}

	private static Context contextIn(StandardEngine engine) {
		StandardHost host = new StandardHost();
		host.setName("localhost");
		engine.addChild(host);
		StandardContext context = new StandardContext();
		context.setName("");
		context.setPath("");
		host.addChild(context);
		return context;
	}

	private static void customize(TomcatClusterCustomizer customizer, Context context) {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		customizer.customize(factory);
		factory.getContextCustomizers().forEach((contextCustomizer) -> contextCustomizer.customize(context));
	}

}
