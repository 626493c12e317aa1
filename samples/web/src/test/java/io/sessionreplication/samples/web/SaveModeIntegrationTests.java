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

import java.util.List;

import io.sessionreplication.test.ProcessMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end test of {@code session.replication.save-mode} over HTTP: the sample's cart
 * is a list that {@code POST /cart} changes in place, without {@code setAttribute} again.
 * Under the default save mode the other node keeps the cart as it was when it was set,
 * empty; under {@code on-get-attribute} it has every item ({@code always} too, which
 * {@code SaveAndFlushModeTests} covers).
 */
class SaveModeIntegrationTests {

	private SampleCluster cluster;

	@BeforeEach
	void prepare(TestInfo testInfo) {
		this.cluster = new SampleCluster(testInfo);
	}

	@AfterEach
	void stopNodes() {
		this.cluster.close();
	}

	@ParameterizedTest(name = "save-mode={0}")
	@CsvSource({ "on-set-attribute, false", "on-get-attribute, true" })
	void itemsAddedInPlaceReachTheOtherNodeUnderTheSaveModesThatSerializeAgain(String saveMode, boolean replicated) {
		List<String> arguments = List.of("--session.replication.save-mode=" + saveMode);
		ProcessMember a = this.cluster.node("web-a", arguments);
		ProcessMember b = this.cluster.node("web-b", arguments);
		this.cluster.startAndAwaitReady(a, "start A");
		this.cluster.startAndAwaitReady(b, "start B");
		VirtualUser user = new VirtualUser("shopper", this.cluster.http());

		// the first item goes into a list set just before; the second into the list read
		assertThat(this.cluster.call("add a book on A", a, user, () -> user.cart(a, "book"))).containsExactly("book");
		assertThat(this.cluster.call("add a pen on A", a, user, () -> user.cart(a, "pen"))).containsExactly("book",
				"pen");

		List<String> onB = this.cluster.call("read the cart on B", b, user, () -> user.cart(b, null));
		assertThat(onB).as(() -> "the cart on B under save-mode " + saveMode + this.cluster.logs())
			.isEqualTo(replicated ? List.of("book", "pen") : List.of());
	}

}
