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

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the members of a backend's own cluster listen, for the backends whose members
 * talk to each other directly on ports that the benchmark gives (Hazelcast, Infinispan,
 * Tomcat's cluster): all on 127.0.0.1, one port each. This starter and Redis do not use
 * them.
 */
@ConfigurationProperties("load-app.cluster")
public class ClusterProperties {

	/** The port this member listens on for the other members. */
	private int port = 5701;

	/** The ports of all members, this one included. */
	private List<Integer> memberPorts = new ArrayList<>();

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public List<Integer> getMemberPorts() {
		return this.memberPorts;
	}

	public void setMemberPorts(List<Integer> memberPorts) {
		this.memberPorts = memberPorts;
	}

}
