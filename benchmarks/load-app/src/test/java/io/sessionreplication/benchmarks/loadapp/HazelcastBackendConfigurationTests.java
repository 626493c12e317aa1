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

import java.util.List;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HazelcastBackendConfiguration}: the member's configuration only; no
 * member is started.
 */
class HazelcastBackendConfigurationTests {

	@Test
	void membersJoinOverTcpOnLoopbackOnly() {
		ClusterProperties cluster = new ClusterProperties();
		cluster.setPort(15702);
		cluster.setMemberPorts(List.of(15701, 15702));

		Config config = new HazelcastBackendConfiguration().hazelcastConfig(cluster);

		assertThat(config.getNetworkConfig().getPort()).isEqualTo(15702);
		assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
		assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
		JoinConfig join = config.getNetworkConfig().getJoin();
		assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
		assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:15701", "127.0.0.1:15702");
		assertThat(join.getMulticastConfig().isEnabled()).isFalse();
		assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
		assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
		assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
	}

}
