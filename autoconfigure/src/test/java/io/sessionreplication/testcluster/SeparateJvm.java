package io.sessionreplication.testcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a probe, a class with a {@code main} method, in a JVM of its own with the test's
 * class path: what a test needs for JVM-wide settings that a JVM takes only once, such as
 * a {@code jdk.serialFilter}. A probe checks what it must with {@link #require} and ends
 * with {@link #ok()}; the test asserts that it did with {@link #assertProbeSucceeds}.
 */
public final class SeparateJvm {

	private static final String OK = "OK";

	private SeparateJvm() {
	}

	/**
	 * Run a probe and assert that it printed {@code OK} last and exited 0, within 60 s.
	 * @param probe the class whose {@code main} method to run
	 * @param jvmOptions the options of its JVM, such as {@code -Djdk.serialFilter=...}
	 * @throws IOException if the JVM cannot be started
	 * @throws InterruptedException if interrupted while waiting for it
	 */
	public static void assertProbeSucceeds(Class<?> probe, String... jvmOptions)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(List.of(jvmOptions));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), probe.getName()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe ends within 60 s").isTrue();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(lastLine(output)).as(output).isEqualTo(OK);
			assertThat(process.exitValue()).isZero();
		}
		finally {
			process.destroyForcibly();
		}
	}

	/**
	 * In a probe: exit 1 saying what went wrong, unless a condition holds.
	 * @param condition what must hold
	 * @param failure what went wrong if it does not
	 */
	public static void require(boolean condition, String failure) {
		if (!condition) {
			System.out.println(failure);
			System.exit(1);
		}
	}

	/** In a probe: say that every check passed. */
	public static void ok() {
		System.out.println(OK);
	}

	private static String lastLine(String output) {
		List<String> lines = output.lines().filter((line) -> !line.isBlank()).toList();
		return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
	}

}
