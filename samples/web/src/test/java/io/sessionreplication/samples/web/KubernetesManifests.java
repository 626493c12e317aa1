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

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The objects of the Kubernetes manifests in {@code samples/kubernetes}, read from every
 * {@code .yaml} file there (a file may hold several documents), found by kind and name.
 * It reads them as YAML only: it neither validates them against Kubernetes' schemas nor
 * applies kustomize's changes (the namespace, image names).
 */
final class KubernetesManifests {

	private final Path directory;

	private final List<YamlNode> objects;

	private KubernetesManifests(Path directory, List<YamlNode> objects) {
		this.directory = directory;
		this.objects = objects;
	}

	/**
	 * Read the manifests beside this module.
	 * @return the manifests
	 * @throws IllegalStateException if there are none where the build puts this module
	 * (the tests run in {@code samples/web})
	 */
	static KubernetesManifests load() {
		Path directory = Path.of("..", "kubernetes").toAbsolutePath().normalize();
		List<YamlNode> objects = new ArrayList<>();
		for (Path file : files(directory)) {
			try (Reader reader = Files.newBufferedReader(file)) {
				for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
					if (document != null) {
						objects.add(named(new YamlNode(document, file.getFileName().toString())));
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		if (objects.isEmpty()) {
			throw new IllegalStateException("No Kubernetes manifests in " + directory);
		}
		return new KubernetesManifests(directory, objects);
	}

	/**
	 * The object with its kind and name in its path:
	 * {@code deployment.yaml: Deployment sample-web}.
	 */
	private static YamlNode named(YamlNode object) {
		String name = object.has("metadata") ? " " + object.get("metadata").get("name").text() : "";
		return new YamlNode(object.value(), object.path() + ": " + object.get("kind").text() + name);
	}

	private static List<Path> files(Path directory) {
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".yaml")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The names of the manifests' files.
	 * @return the file names, sorted
	 */
	List<String> fileNames() {
		return files(this.directory).stream().map((file) -> file.getFileName().toString()).toList();
	}

	/**
	 * The only object of a kind.
	 * @param kind the kind, {@code Deployment} for example
	 * @return the object
	 * @throws IllegalStateException if there is none, or more than one
	 */
	YamlNode only(String kind) {
		List<YamlNode> found = all(kind);
		if (found.size() != 1) {
			throw new IllegalStateException("Expected one " + kind + ", found " + found.size());
		}
		return found.get(0);
	}

	/**
	 * The object of a kind and a name.
	 * @param kind the kind, {@code Service} for example
	 * @param name its name
	 * @return the object
	 * @throws IllegalStateException if there is none
	 */
	YamlNode object(String kind, String name) {
		return all(kind).stream()
			.filter((object) -> object.get("metadata").get("name").text().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No " + kind + " named '" + name + "'"));
	}

	/**
	 * The objects of a kind.
	 * @param kind the kind
	 * @return the objects, in the order of their files
	 */
	List<YamlNode> all(String kind) {
		return this.objects.stream().filter((object) -> object.get("kind").text().equals(kind)).toList();
	}

}
