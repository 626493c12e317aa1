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

import org.apache.catalina.ha.session.BackupManager;
import org.apache.catalina.ha.session.DeltaManager;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profiles {@code tomcat-delta} and {@code tomcat-backup}: Tomcat's own cluster, with
 * {@link DeltaManager} (every member holds every session) or {@link BackupManager} (a
 * primary and one backup per session), each at its defaults.
 */
@Configuration(proxyBeanMethods = false)
class TomcatClusterConfiguration {

	@Bean
	@Profile("tomcat-delta")
	TomcatClusterCustomizer deltaManagerCluster(ClusterProperties cluster) {
		return new TomcatClusterCustomizer(cluster, DeltaManager::new);
	}

	@Bean
	@Profile("tomcat-backup")
	TomcatClusterCustomizer backupManagerCluster(ClusterProperties cluster) {
		return new TomcatClusterCustomizer(cluster, BackupManager::new);
	}

}
