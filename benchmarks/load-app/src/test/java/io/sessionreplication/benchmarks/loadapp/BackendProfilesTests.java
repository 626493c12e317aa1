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

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link BackendProfiles}.
 */
class BackendProfilesTests {

	@Test
	void acceptsOneBackendProfileBesideOthers() {
		assertThatNoException().isThrownBy(() -> check("tomcat-delta", "tomcat-cluster"));
	}

	@Test
	void rejectsNoBackendProfile() {
		assertThatIllegalStateException().isThrownBy(() -> check("tomcat-cluster"))
			.withMessageContaining("exactly one backend profile");
	}

	@Test
	void rejectsTwoBackendProfiles() {
		assertThatIllegalStateException().isThrownBy(() -> check("redis", "replication"))
			.withMessageContaining("active: [redis, replication]");
	}

	private static void check(String... profiles) {
		MockEnvironment environment = new MockEnvironment();
		environment.setActiveProfiles(profiles);
		new BackendProfiles().onApplicationEvent(new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(),
				new SpringApplication(), new String[0], environment));
	}

}
