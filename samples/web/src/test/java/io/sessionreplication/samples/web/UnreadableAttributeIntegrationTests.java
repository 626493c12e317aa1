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

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import io.sessionreplication.samples.web.VirtualUser.Answer;
import io.sessionreplication.test.ProcessMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of {@code session.replication.serialization.on-unreadable} in the case
 * it is for, a redeploy that changed a class of session values incompatibly, over HTTP
 * between two instances of the sample in JVMs of their own. Member A runs the sample's
 * jar; member B runs the same jar with {@link Visit} compiled again with another
 * {@code serialVersionUID} ahead of it, so that B cannot read the last visit that A keeps
 * in each session. The jar must have been built ({@code package}); failsafe runs these
 * tests in {@code verify}.
 */
class UnreadableAttributeIntegrationTests {

	private static final Path VISIT_SOURCE = Path.of("src", "main", "java", "io", "sessionreplication", "samples",
			"web", "Visit.java");

	private static final long VERSION_2 = 2;

	/** What Java serialization says when B reads a visit of A. */
	private static final String INCOMPATIBLE = Visit.class.getName() + "; local class incompatible";

	private static final String B_VERSION = "local class serialVersionUID = " + VERSION_2;

	private static Path visitVersion2;

	private SampleCluster cluster;

	@BeforeAll
	static void compileVisitVersion2() {
		visitVersion2 = IncompatibleClassVersion.compile(VISIT_SOURCE, VERSION_2,
				Path.of("target", "e2e-classes", "visit-version-2"));
	}

	@BeforeEach
	void prepare(TestInfo testInfo) {
		this.cluster = new SampleCluster(testInfo);
	}

	@AfterEach
	void stopNodes() {
		this.cluster.close();
	}

	@Test
	void byDefaultBReadsTheVisitAsAbsentAndTheRestOfTheSessionGoesOn() {
		ProcessMember a = this.cluster.node("web-a", List.of());
		ProcessMember b = this.cluster.node("web-b", List.of()).classesFirst(visitVersion2);
		VirtualUser user = countToThreeOnA(a, b);

		// B answers, for the same session, with the counter one up and no previous visit
		Answer answer = this.cluster.expectNext("on B, which cannot read A's visit", b, user);
		assertThat(answer.previous())
			.as(() -> "on B, the visit stored by A, of another version: " + answer.previous() + this.cluster.logs())
			.isNull();
		assertThat(b.logLinesContaining("Session attribute 'lastVisit' cannot be read on this member"))
			.as(() -> "B's warning" + this.cluster.logs())
			.singleElement()
			.asString()
			.contains(INCOMPATIBLE, B_VERSION, "removed from the session");
	}

	@Test
	void withFailBAnswersAServerErrorAndTheSessionKeepsTheVisit() {
		List<String> fail = List.of("--session.replication.serialization.on-unreadable=fail");
		ProcessMember a = this.cluster.node("web-a", fail);
		ProcessMember b = this.cluster.node("web-b", fail).classesFirst(visitVersion2);
		VirtualUser user = countToThreeOnA(a, b);

		// B fails the request, as it did before on-unreadable existed
		HttpResponse<String> response = this.cluster.call("on B", b, user, () -> user.getCounter(b));
		assertThat(response.statusCode())
			.as(() -> "on B, which cannot read A's visit: " + response.body() + this.cluster.logs())
			.isEqualTo(500);
		assertThat(b.logLinesContaining("Session attribute 'lastVisit' cannot be deserialized"))
			.as(() -> "B's error" + this.cluster.logs())
			.anySatisfy((line) -> assertThat(line).contains("UnreadableAttributeException", INCOMPATIBLE, B_VERSION));

		// the session is as it was: A counts on from 3 and still tells its own visit
		Answer answer = this.cluster.expectNext("back on A", a, user);
		assertThat(answer.previous()).as(() -> "on A, the visit it stored" + this.cluster.logs())
			.extracting(VirtualUser.Previous::node)
			.isEqualTo(a.name());
	}

	/**
	 * Start A, then B, and count to 3 on A for a new user; A reads its own visits.
	 */
	private VirtualUser countToThreeOnA(ProcessMember a, ProcessMember b) {
		this.cluster.startAndAwaitReady(a, "start A");
		this.cluster.startAndAwaitReady(b, "start B, Visit version 2, joins A");
		VirtualUser user = new VirtualUser("user", this.cluster.http());
		this.cluster.expectNext("request 1 on A", a, user);
		this.cluster.expectNext("request 2 on A", a, user);
		Answer third = this.cluster.expectNext("request 3 on A", a, user);
		assertThat(third.previous()).as(() -> "on A, the visit of the second request" + this.cluster.logs())
			.extracting(VirtualUser.Previous::node)
			.isEqualTo(a.name());
		return user;
	}

}
