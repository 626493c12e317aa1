package io.sessionreplication.cluster.jgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link DeserializationFilter} with an application that sets a JVM-wide
 * deserialization filter of its own, in a JVM of its own (a JVM-wide filter can be set
 * only once): JGroups refuses everything, and the application's filter still rules its
 * own streams.
 */
class DeserializationFilterTests {

	@Test
	void anApplicationsJvmWideFilterKeepsWorkingAndJGroupsStillRefusesEverything() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process probe = new ProcessBuilder(java, "-Djdk.serialFilter=java.lang.*;java.lang.Number;!*", "-cp",
				System.getProperty("java.class.path"), JvmWideFilterProbe.class.getName())
			.redirectErrorStream(true)
			.start();
		try {
			assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("the probe ends within 60 s").isTrue();
			String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(lastLine(output)).as(output).isEqualTo("OK");
			assertThat(probe.exitValue()).isZero();
		}
		finally {
			probe.destroyForcibly();
		}
	}

	private static String lastLine(String output) throws IOException {
		List<String> lines = output.lines().filter((line) -> !line.isBlank()).toList();
		return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
	}

}
