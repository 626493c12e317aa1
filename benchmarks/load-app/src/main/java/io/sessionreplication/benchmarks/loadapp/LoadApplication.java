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

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The web application of the load benchmark. The same application serves every session
 * store the benchmark compares; exactly one of the profiles that {@link BackendProfiles}
 * lists selects the store, and the profile's {@code application-<profile>.yml} switches
 * the others off. It is started by the benchmark, one JVM per node, never by the build.
 */
@SpringBootApplication
@EnableConfigurationProperties(ClusterProperties.class)
public class LoadApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(LoadApplication.class);
		application.addListeners(new BackendProfiles());
		application.run(args);
	}

}
