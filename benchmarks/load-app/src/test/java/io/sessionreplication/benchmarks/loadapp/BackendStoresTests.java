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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.hazelcast.core.HazelcastInstance;
import io.sessionreplication.cluster.ClusterTransport;
import org.infinispan.manager.EmbeddedCacheManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the load application in a backend profile, on 127.0.0.1 and free ports, and
 * checks that it runs the session store of that profile and no other: its session
 * repository, and of the clustering engines (this starter's transport, a Hazelcast
 * member, an Infinispan cache manager, a Redis connection) its own only. Not the Redis
 * and Tomcat profiles, which need a server or a second node to be of use.
 */
class BackendStoresTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			none               |
			spring-session-map | MapSessionRepository
			replication        | ReplicatedSessionRepository, this starter's transport
			hazelcast          | HazelcastIndexedSessionRepository, a Hazelcast member
			infinispan         | InfinispanEmbeddedSessionRepository, an Infinispan cache manager
			""")
	void startsItsOwnStoreOnly(String profile, String stores) throws IOException {
		List<Integer> ports = FreePorts.of(2);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LoadApplication.class)
			.listeners(new BackendProfiles())
			.profiles(profile)
			.run("--server.port=0", "--load-app.cluster.port=" + ports.get(0),
					"--load-app.cluster.member-ports=" + ports.get(0),
					"--session.replication.bind-port=" + ports.get(1),
					"--session.replication.cluster-name=stores-" + UUID.randomUUID())) {
			assertThat(stores(context))
				.containsExactlyElementsOf((stores != null) ? List.of(stores.split(", ")) : List.of());
		}
	}

	private static List<String> stores(ConfigurableApplicationContext context) {
		List<String> stores = new ArrayList<>();
		context.getBeansOfType(SessionRepository.class)
			.values()
			.forEach((repository) -> stores.add(repository.getClass().getSimpleName()));
		add(stores, context, ClusterTransport.class, "this starter's transport");
		add(stores, context, HazelcastInstance.class, "a Hazelcast member");
		add(stores, context, EmbeddedCacheManager.class, "an Infinispan cache manager");
		add(stores, context, RedisConnectionFactory.class, "a Redis connection");
		return stores;
	}

	private static void add(List<String> stores, ConfigurableApplicationContext context, Class<?> type, String name) {
		context.getBeansOfType(type).values().forEach((bean) -> stores.add(name));
	}

}
