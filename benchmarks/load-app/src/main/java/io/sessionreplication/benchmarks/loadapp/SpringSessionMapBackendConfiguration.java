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

import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;

/**
 * Profile {@code spring-session-map}: Spring Session with its in-memory
 * {@link MapSessionRepository}, each node's sessions its own, nothing replicated. It
 * measures what Spring Session's filter and session wrappers cost by themselves, the
 * floor under every Spring Session store (this starter, Redis, Hazelcast), against the
 * container's own sessions of profile {@code none}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("spring-session-map")
@EnableSpringHttpSession
class SpringSessionMapBackendConfiguration {

	@Bean
	MapSessionRepository sessionRepository() {
		return new MapSessionRepository(new ConcurrentHashMap<>());
	}

}
