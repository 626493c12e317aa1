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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The arguments that give a node of the sample mutual TLS between members: an SSL bundle
 * of the test certificates that the engine's tests use ({@code member-b.jks} and the
 * cluster's CA, in {@code autoconfigure/src/test/resources/tls}, made by
 * {@code make-certificates.sh} there).
 */
final class ClusterCertificates {

	private ClusterCertificates() {
	}

	/**
	 * The arguments of a node that secures its cluster traffic with TLS.
	 * @return the arguments
	 * @throws IllegalStateException if the certificates are not where the build puts this
	 * module (the tests run in {@code samples/web})
	 */
	static List<String> tlsArguments() {
		Path directory = directory();
		String bundle = "--spring.ssl.bundle.jks.cluster.";
		return List.of("--session.replication.ssl.bundle=cluster", bundle + "key.alias=member",
				bundle + "keystore.location=file:" + directory.resolve("member-b.jks"),
				bundle + "keystore.password=secret", bundle + "keystore.type=JKS",
				bundle + "truststore.location=file:" + directory.resolve("cluster-truststore.jks"),
				bundle + "truststore.password=secret", bundle + "truststore.type=JKS");
	}

	/**
	 * The directory of the test certificates: besides the above, {@code member-a.crt} and
	 * {@code member-a.key} (PEM), another member's, and {@code cluster-ca.crt}.
	 * @return the directory
	 * @throws IllegalStateException if the certificates are not where the build puts this
	 * module (the tests run in {@code samples/web})
	 */
	static Path directory() {
		Path directory = Path.of("..", "..", "autoconfigure", "src", "test", "resources", "tls")
			.toAbsolutePath()
			.normalize();
		if (!Files.isRegularFile(directory.resolve("member-b.jks"))) {
			throw new IllegalStateException("No test certificates in " + directory);
		}
		return directory;
	}

}
