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
import java.util.stream.IntStream;

/**
 * A node of a YAML document as SnakeYAML reads it (a map, a list or a scalar), with the
 * path that led to it, so that a missing or mistyped value fails with a message naming
 * where it was looked for. It only reads: it neither changes nor writes a document.
 *
 * @param value the map, list or scalar
 * @param path where the value is: the file, the object, then the keys
 */
record YamlNode(Object value, String path) {

	/**
	 * The value of a key of this map.
	 * @param key the key
	 * @return its value
	 * @throws IllegalStateException if this is not a map or it has no such key
	 */
	YamlNode get(String key) {
		Object child = map().get(key);
		if (child == null) {
			throw new IllegalStateException(this.path + " has no '" + key + "'");
		}
		return new YamlNode(child, this.path + "." + key);
	}

	/**
	 * Whether this map has a key.
	 * @param key the key
	 * @return whether it has
	 */
	boolean has(String key) {
		return map().containsKey(key);
	}

	/**
	 * The element of this list of maps whose {@code name} is the one given, as in a list
	 * of containers, ports, volumes or variables.
	 * @param name the name
	 * @return the element
	 * @throws IllegalStateException if there is none
	 */
	YamlNode named(String name) {
		return list().stream()
			.filter((element) -> element.has("name") && element.get("name").text().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(this.path + " has no element named '" + name + "'"));
	}

	/**
	 * The elements of this list.
	 * @return the elements
	 * @throws IllegalStateException if this is not a list
	 */
	List<YamlNode> list() {
		if (!(this.value instanceof List<?> elements)) {
			throw new IllegalStateException(this.path + " is not a list: " + this.value);
		}
		return IntStream.range(0, elements.size())
			.mapToObj((index) -> new YamlNode(elements.get(index), this.path + "[" + index + "]"))
			.toList();
	}

	/**
	 * This map, its values as SnakeYAML read them.
	 * @return the map
	 * @throws IllegalStateException if this is not a map
	 */
	Map<?, ?> map() {
		if (!(this.value instanceof Map<?, ?> map)) {
			throw new IllegalStateException(this.path + " is not a map: " + this.value);
		}
		return map;
	}

	/**
	 * This map, its keys and values as text, as labels and selectors are.
	 * @return the map
	 * @throws IllegalStateException if this is not a map
	 */
	Map<String, String> texts() {
		Map<String, String> texts = new LinkedHashMap<>();
		map().forEach((key, value) -> texts.put(String.valueOf(key), String.valueOf(value)));
		return texts;
	}

	/**
	 * This scalar as text.
	 * @return the text
	 */
	String text() {
		return String.valueOf(this.value);
	}

	/**
	 * This scalar as a whole number.
	 * @return the number
	 * @throws IllegalStateException if it is not one
	 */
	int number() {
		if (!(this.value instanceof Integer number)) {
			throw new IllegalStateException(this.path + " is not a whole number: " + this.value);
		}
		return number;
	}

}
