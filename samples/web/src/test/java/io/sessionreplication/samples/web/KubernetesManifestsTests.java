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
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import io.sessionreplication.autoconfigure.SessionReplicationProperties;
import org.jgroups.protocols.pbcast.GMS;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the Kubernetes manifests of {@code samples/kubernetes} against this sample. It
 * starts the sample in this JVM as the Deployment's pod runs it: with the pod's
 * environment (its fields given test values, its address a loopback address of its own),
 * and the cluster's TLS material where the Secret is mounted (a directory of the test
 * certificates, under the names of the Secret's keys). It then calls the probes' paths
 * over HTTP, and checks that the Services, the disruption budget and the rolling update
 * select the pods, and that the ports, timeouts and files of the manifests are those of
 * the running sample. There is no cluster DNS here: the discovery variables are checked
 * by what they name, and left out when the sample starts (the member then looks for
 * others on its own address, and is alone).
 */
class KubernetesManifestsTests {

	private static final String POD_NAME = "sample-web-7d9c5b8f4-k2x7q";

	/**
	 * How long a member that stops in {@code primary-backup} mode waits for a hand-over
	 * under way before it hands its own sessions over
	 * ({@code PrimaryBackupReplicator.flush}).
	 */
	private static final Duration HAND_OVER_UNDER_WAY = Duration.ofSeconds(30);

	/** The test material of each key of the cluster's TLS Secret. */
	private static final Map<String, String> SECRET = Map.of("tls.crt", "member-a.crt", "tls.key", "member-a.key",
			"ca.crt", "cluster-ca.crt");

	private static final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	@TempDir
	static Path mountedSecret;

	private static KubernetesManifests manifests;

	private static YamlNode deployment;

	private static YamlNode container;

	private static Map<String, String> podEnvironment;

	private static String podIp;

	private static ConfigurableApplicationContext sample;

	@BeforeAll
	static void startTheSampleAsThePodRunsIt() throws IOException {
		manifests = KubernetesManifests.load();
		deployment = manifests.only("Deployment");
		container = podSpec().get("containers").list().get(0);
		podIp = loopbackAddressWithFreePort(containerPort("cluster"));
		podEnvironment = PodEnvironment.of(container,
				Map.of("metadata.name", POD_NAME, "metadata.namespace", namespace(), "status.podIP", podIp));
		YamlNode mount = secretMount();
		for (YamlNode item : secretVolume().get("secret").get("items").list()) {
			Path file = mountedSecret.resolve(item.get("path").text());
			Files.copy(ClusterCertificates.directory().resolve(SECRET.get(item.get("key").text())), file);
		}
		Map<String, Object> environment = new LinkedHashMap<>();
		podEnvironment.forEach((name, value) -> {
			if (!name.startsWith("SESSION_REPLICATION_DISCOVERY") && !name.startsWith("SESSION_REPLICATION_DNS_")) {
				environment.put(name, value.replace(mount.get("mountPath").text(), mountedSecret.toString()));
			}
		});
		StandardEnvironment standard = new StandardEnvironment();
		standard.getPropertySources()
			.addAfter(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					"pod-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
		SpringApplication application = new SpringApplication(WebSampleApplication.class);
		application.setEnvironment(standard);
		sample = application.run("--server.port=0");
	}

	@AfterAll
	static void stopTheSample() {
		if (sample != null) {
			sample.close();
		}
	}

	@Test
	void probesAnswerOnTheSampleWithItsKubernetesProfile() throws Exception {
		assertThat(podEnvironment).containsEntry("SPRING_PROFILES_ACTIVE", "kubernetes");
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			YamlNode httpGet = container.get(probe).get("httpGet");
			assertThat(containerPort(httpGet.get("port").text())).as(probe).isEqualTo(configuredHttpPort());
			assertThat(get(httpGet.get("path").text())).as(httpGet.path()).isEqualTo(200);
		}
		assertThat(get("/actuator/health/no-such-group")).as("a path the sample does not have").isEqualTo(404);
		String address = sample.getEnvironment().getRequiredProperty("server.address");
		assertThat(InetAddress.getByName(address).isAnyLocalAddress()).as("kubelet reaches the pod on its address")
			.isTrue();
	}

	@Test
	void readinessProbeAsksWhetherTheMemberIsInTheCluster() {
		String readiness = container.get("readinessProbe").get("httpGet").get("path").text();
		HealthEndpointGroup group = sample.getBean(HealthEndpointGroups.class)
			.get(readiness.substring(readiness.lastIndexOf('/') + 1));
		assertThat(group).as("the health group of " + readiness).isNotNull();
		assertThat(group.isMember("readinessState")).isTrue();
		assertThat(group.isMember("sessionReplication")).isTrue();
	}

	@Test
	void startupProbeWaitsLongerThanTheStateTransfer() {
		YamlNode startup = container.get("startupProbe");
		Duration allowed = Duration
			.ofSeconds((long) startup.get("periodSeconds").number() * startup.get("failureThreshold").number());
		assertThat(allowed).isGreaterThan(properties().getStateTransferTimeout());
	}

	@Test
	void containerPortsAreTheSamplesPorts() throws Exception {
		assertThat(containerPort("http")).isEqualTo(configuredHttpPort());
		assertThat(containerPort("cluster")).isEqualTo(properties().getBindPort());
		assertThat(containerPort("failure-det")).isEqualTo(properties().getBindPort() + failureDetectionOffset());
		try (Socket transport = new Socket()) {
			transport.connect(new InetSocketAddress(podIp, containerPort("cluster")), 2000);
		}
	}

	@Test
	void membersAreNamedAfterTheirPodsAndTalkOnTheirAddresses() {
		assertThat(properties().getMemberName()).isEqualTo(POD_NAME);
		assertThat(properties().getBindAddress()).isEqualTo(podIp);
	}

	@Test
	void discoveryAsksTheHeadlessServiceForThePods() {
		assertThat(podEnvironment).containsEntry("SESSION_REPLICATION_DISCOVERY", "dns")
			.containsEntry("SESSION_REPLICATION_DNS_RECORD_TYPE", "A");
		String query = podEnvironment.get("SESSION_REPLICATION_DNS_QUERY");
		String service = query.substring(0, query.indexOf('.'));
		assertThat(query).isIn(service + "." + namespace() + ".svc.cluster.local", service + "." + namespace());
		YamlNode spec = manifests.object("Service", service).get("spec");
		assertThat(spec.get("clusterIP").text()).isEqualTo("None");
		assertThat(spec.get("publishNotReadyAddresses").value()).isEqualTo(true);
		assertThat(podLabels()).containsAllEntriesOf(spec.get("selector").texts());
	}

	@Test
	void httpServiceSendsRequestsToTheSamplesPort() {
		YamlNode spec = manifests.all("Service")
			.stream()
			.map((service) -> service.get("spec"))
			.filter((service) -> !service.has("clusterIP"))
			.findFirst()
			.orElseThrow();
		assertThat(podLabels()).containsAllEntriesOf(spec.get("selector").texts());
		assertThat(containerPort(spec.get("ports").list().get(0).get("targetPort").text()))
			.isEqualTo(configuredHttpPort());
	}

	@Test
	void gracePeriodCoversPreStopGracefulShutdownAndHandOver() {
		YamlNode update = deployment.get("spec").get("strategy").get("rollingUpdate");
		int newOwners = deployment.get("spec").get("replicas").number() - 1 + update.get("maxSurge").number();
		Duration preStop = Duration
			.ofSeconds(container.get("lifecycle").get("preStop").get("sleep").get("seconds").number());
		Duration gracefulShutdown = sample.getBean(LifecycleProperties.class).getTimeoutPerShutdownPhase();
		Duration handOver = HAND_OVER_UNDER_WAY.plus(properties().getAckTimeout().multipliedBy(newOwners))
			.plusMillis(new GMS().getLeaveTimeout());
		assertThat(sample.getEnvironment().getProperty("server.shutdown")).isEqualTo("graceful");
		assertThat(Duration.ofSeconds(podSpec().get("terminationGracePeriodSeconds").number()))
			.isGreaterThan(preStop.plus(gracefulShutdown).plus(handOver));
	}

	@Test
	void rollingUpdateStartsANewPodBeforeItStopsAnOldOne() {
		YamlNode strategy = deployment.get("spec").get("strategy");
		assertThat(strategy.get("type").text()).isEqualTo("RollingUpdate");
		assertThat(strategy.get("rollingUpdate").get("maxUnavailable").number()).isZero();
		assertThat(strategy.get("rollingUpdate").get("maxSurge").number()).isEqualTo(1);
	}

	@Test
	void disruptionBudgetTakesOnePodAwayAtATime() {
		YamlNode spec = manifests.only("PodDisruptionBudget").get("spec");
		assertThat(spec.get("maxUnavailable").number()).isEqualTo(1);
		assertThat(podLabels()).containsAllEntriesOf(spec.get("selector").get("matchLabels").texts());
	}

	@Test
	void clusterTlsIsABundleOfTheMountedSecret() {
		String bundle = podEnvironment.get("SESSION_REPLICATION_SSL_BUNDLE");
		String prefix = "SPRING_SSL_BUNDLE_PEM_" + bundle.toUpperCase() + "_";
		String mounted = "file:" + secretMount().get("mountPath").text() + "/";
		assertThat(podEnvironment).containsEntry(prefix + "KEYSTORE_CERTIFICATE", mounted + secretPath("tls.crt"))
			.containsEntry(prefix + "KEYSTORE_PRIVATEKEY", mounted + secretPath("tls.key"))
			.containsEntry(prefix + "TRUSTSTORE_CERTIFICATE", mounted + secretPath("ca.crt"));
		assertThat(secretMount().get("readOnly").value()).isEqualTo(true);
		assertThat(properties().getSsl().getBundle()).isEqualTo(bundle);
		assertThat(sample.getBean(SslBundles.class).getBundle(bundle).getStores().getTrustStore()).isNotNull();
	}

	@Test
	void kustomizationAppliesEveryManifestInTheNamespace() {
		YamlNode kustomization = manifests.only("Kustomization");
		assertThat(kustomization.get("resources").list().stream().map(YamlNode::text))
			.containsExactlyInAnyOrderElementsOf(
					manifests.fileNames().stream().filter((file) -> !file.equals("kustomization.yaml")).toList());
		assertThat(manifests.only("Namespace").get("metadata").get("name").text()).isEqualTo(namespace());
	}

	private static String namespace() {
		return manifests.only("Kustomization").get("namespace").text();
	}

	private static YamlNode podSpec() {
		return deployment.get("spec").get("template").get("spec");
	}

	private static Map<String, String> podLabels() {
		return deployment.get("spec").get("template").get("metadata").get("labels").texts();
	}

	private static int containerPort(String name) {
		return container.get("ports").named(name).get("containerPort").number();
	}

	private static YamlNode secretVolume() {
		return podSpec().get("volumes")
			.list()
			.stream()
			.filter((volume) -> volume.has("secret"))
			.findFirst()
			.orElseThrow();
	}

	private static YamlNode secretMount() {
		return container.get("volumeMounts").named(secretVolume().get("name").text());
	}

	/** Where the mounted Secret puts a key's file. */
	private static String secretPath(String key) {
		return secretVolume().get("secret")
			.get("items")
			.list()
			.stream()
			.filter((item) -> item.get("key").text().equals(key))
			.map((item) -> item.get("path").text())
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("The Secret's volume does not mount " + key));
	}

	private static SessionReplicationProperties properties() {
		return sample.getBean(SessionReplicationProperties.class);
	}

	/**
	 * The port the sample listens on in the pod: its configuration without this test's.
	 */
	private static int configuredHttpPort() {
		MutablePropertySources sources = new MutablePropertySources(sample.getEnvironment().getPropertySources());
		sources.remove(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME);
		return new Binder(ConfigurationPropertySources.from(sources)).bind("server.port", Integer.class).orElse(8080);
	}

	/**
	 * The offset of FD_SOCK2's port from the transport's, in the stack the starter ships.
	 */
	private static int failureDetectionOffset() throws Exception {
		try (InputStream stack = KubernetesManifestsTests.class
			.getResourceAsStream("/io/sessionreplication/jgroups/tcp.xml")) {
			return Integer.parseInt(DocumentBuilderFactory.newInstance()
				.newDocumentBuilder()
				.parse(stack)
				.getElementsByTagName("FD_SOCK2")
				.item(0)
				.getAttributes()
				.getNamedItem("offset")
				.getNodeValue());
		}
	}

	private static int get(String path) throws Exception {
		int port = sample.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(5))
			.build();
		return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/**
	 * A loopback address other than 127.0.0.1 on which a port is free, for the pod's own.
	 */
	private static String loopbackAddressWithFreePort(int port) throws IOException {
		for (int last = 101; last <= 150; last++) {
			InetAddress address = InetAddress.getByName("127.0.0." + last);
			try (ServerSocket socket = new ServerSocket(port, 1, address)) {
				return address.getHostAddress();
			}
			catch (IOException taken) {
				// try the next address
			}
		}
		throw new IOException("Port " + port + " is taken on 127.0.0.101 to 127.0.0.150");
	}

}
