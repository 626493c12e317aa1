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

package io.sessionreplication.samples.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The servlet container a node of the web sample runs on. The sample carries both Tomcat
 * (through {@code spring-boot-starter-webmvc}) and Jetty
 * ({@code spring-boot-starter-jetty}): Tomcat serves unless its auto-configuration is
 * excluded.
 */
enum ServletContainer {

	TOMCAT(List.of(), "Tomcat started on port"),

	JETTY(List.of("--spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration"),
			"Jetty started on port");

	private final List<String> arguments;

	private final String startedLine;

	ServletContainer(List<String> arguments, String startedLine) {
		this.arguments = arguments;
		this.startedLine = startedLine;
	}

	/**
	 * The arguments of a node that runs on this container.
	 * @return the application arguments
	 */
	List<String> arguments() {
		return this.arguments;
	}

	/**
	 * The same as properties, for a member of the test kit's
	 * {@link io.sessionreplication.test.LocalCluster}.
	 * @return the properties by name
	 */
	Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		for (String argument : this.arguments) {
			int equals = argument.indexOf('=');
			properties.put(argument.substring(2, equals), argument.substring(equals + 1));
		}
		return properties;
	}

	/**
	 * What a node that runs on this container logs once its web server has started.
	 * @return the text of the line
	 */
	String startedLine() {
		return this.startedLine;
	}

}
