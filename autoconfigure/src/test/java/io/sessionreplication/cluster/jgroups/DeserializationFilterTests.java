package io.sessionreplication.cluster.jgroups;

import io.sessionreplication.testcluster.SeparateJvm;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link DeserializationFilter} with an application that sets a JVM-wide
 * deserialization filter of its own, in a JVM of its own (a JVM-wide filter can be set
 * only once): JGroups refuses everything, and the application's filter still rules its
 * own streams.
 */
class DeserializationFilterTests {

	@Test
	void anApplicationsJvmWideFilterKeepsWorkingAndJGroupsStillRefusesEverything() throws Exception {
		SeparateJvm.assertProbeSucceeds(JvmWideFilterProbe.class, "-Djdk.serialFilter=java.lang.*;java.lang.Number;!*");
	}

}
