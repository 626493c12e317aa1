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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment that Kubernetes gives the process of a container: each variable of its
 * {@code env} list, a literal value with the {@code $(NAME)} references to variables
 * listed before it expanded (and {@code $$} as {@code $}), or a field of the pod
 * ({@code valueFrom.fieldRef}) taken from the values given. It does not read Secrets or
 * ConfigMaps ({@code secretKeyRef}, {@code configMapKeyRef}, {@code envFrom}): a variable
 * that needs one fails.
 */
final class PodEnvironment {

	private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

	private PodEnvironment() {
	}

	/**
	 * The environment of a container.
	 * @param container the container, as in the pod template
	 * @param fields the values of the pod's fields that variables take, by field path
	 * ({@code metadata.name}, {@code status.podIP}, ...)
	 * @return the variables, in the order of the list
	 * @throws IllegalStateException if a variable takes a field not given, or something
	 * else than a field
	 */
	static Map<String, String> of(YamlNode container, Map<String, String> fields) {
		Map<String, String> environment = new LinkedHashMap<>();
		for (YamlNode variable : container.get("env").list()) {
			String name = variable.get("name").text();
			if (variable.has("value")) {
				environment.put(name, expand(variable.get("value").text(), environment));
			}
			else {
				String field = variable.get("valueFrom").get("fieldRef").get("fieldPath").text();
				String value = fields.get(field);
				if (value == null) {
					throw new IllegalStateException(variable.path() + " takes the field " + field + ", not given");
				}
				environment.put(name, value);
			}
		}
		return environment;
	}

	private static String expand(String value, Map<String, String> defined) {
		Matcher reference = REFERENCE.matcher(value);
		StringBuilder expanded = new StringBuilder();
		while (reference.find()) {
			String name = reference.group(1);
			String replacement = (name == null) ? "$" : defined.getOrDefault(name, reference.group());
			reference.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
		}
		return reference.appendTail(expanded).toString();
	}

}
