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

import java.nio.ByteBuffer;
import java.util.function.Supplier;

import org.apache.catalina.Context;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.tcp.ReplicationValve;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipService;
import org.apache.catalina.tribes.transport.nio.NioReceiver;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Tomcat's own session replication for the embedded Tomcat: the web application is made
 * distributable and the engine gets a {@link SimpleTcpCluster}, whose session manager is
 * a copy of the given template ({@code DeltaManager} or {@code BackupManager}). What a
 * {@code server.xml} would say in its {@code <Cluster>} element, with static membership:
 * the receiver listens on 127.0.0.1 at this member's port, and the members are the ones
 * {@link ClusterProperties} lists, found by {@link StaticMembershipService} instead of
 * multicast. The cluster has one valve, the {@link ReplicationValve}, which sends a
 * session's changes after each request; no {@code JvmRouteBinderValve}, as there is no
 * {@code jvmRoute} and no load balancer. Everything else is at Tomcat's defaults, among
 * them the cluster's asynchronous sends and the {@code TcpFailureDetector}.
 */
final class TomcatClusterCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	private static final String HOST = "127.0.0.1";

	private final ClusterProperties cluster;

	private final Supplier<ClusterManager> managerTemplate;

	TomcatClusterCustomizer(ClusterProperties cluster, Supplier<ClusterManager> managerTemplate) {
		this.cluster = cluster;
		this.managerTemplate = managerTemplate;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addContextCustomizers(this::replicate);
	}

	private void replicate(Context context) {
		context.setDistributable(true);
		SimpleTcpCluster tcpCluster = new SimpleTcpCluster();
		tcpCluster.setManagerTemplate(this.managerTemplate.get());
		tcpCluster.setChannel(channel());
		tcpCluster.addValve(new ReplicationValve());
		// the engine, as a <Cluster> in server.xml: the context's parent is the host
		context.getParent().getParent().setCluster(tcpCluster);
	}

	private GroupChannel channel() {
		NioReceiver receiver = new NioReceiver();
		receiver.setAddress(HOST);
		receiver.setPort(this.cluster.getPort());
		StaticMembershipService membership = new StaticMembershipService();
		// all members, this one included: the service tells itself apart by its receiver
		this.cluster.getMemberPorts().forEach((port) -> membership.addStaticMember(member(port)));
		GroupChannel channel = new GroupChannel();
		channel.setChannelReceiver(receiver);
		channel.setMembershipService(membership);
		return channel;
	}

	private static StaticMember member(int port) {
		StaticMember member = new StaticMember();
		member.setHost(HOST);
		member.setPort(port);
		// the same on every member: 16 bytes, the port in the last four
		member.setUniqueId(ByteBuffer.allocate(16).putInt(12, port).array());
		return member;
	}

}
