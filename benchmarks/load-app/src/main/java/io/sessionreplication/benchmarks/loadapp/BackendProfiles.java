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

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Checks, before the application context is created, that exactly one backend profile is
 * active, so that a benchmark never measures a store it did not ask for: with none, the
 * starter and Spring Session Data Redis would both be on. It checks nothing else.
 */
final class BackendProfiles implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	/** The profiles that select a session store, one each. */
	static final List<String> NAMES = List.of("none", "spring-session-map", "replication", "redis", "hazelcast",
			"infinispan", "tomcat-delta", "tomcat-backup");

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		List<String> active = Arrays.stream(event.getEnvironment().getActiveProfiles())
			.filter(NAMES::contains)
			.toList();
		if (active.size() != 1) {
			throw new IllegalStateException("Activate exactly one backend profile of " + NAMES
					+ " (spring.profiles.active); active: " + active);
		}
	}

}
