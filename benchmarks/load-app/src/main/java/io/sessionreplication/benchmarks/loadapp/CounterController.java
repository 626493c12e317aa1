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

package io.sessionreplication.benchmarks.loadapp;

import jakarta.servlet.http.HttpSession;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The request of the load benchmark, the web sample's counter without its last visit, so
 * that every backend is measured on the same work and the results of earlier runs still
 * compare: {@code GET /counter} reads the session's counter, increments it and writes it
 * back; a new session also gets a {@code profile} of about 1 KiB, which later requests
 * leave unchanged. The answer names the node and the session, so that the benchmark can
 * tell a stale read or a lost session. Nothing else: no logout, no other attribute.
 */
@RestController
class CounterController {

	/** About 1 KiB serialized, the size of the sample's profile attribute. */
	private static final String PROFILE = "preferences:".repeat(84);

	private final String node;

	CounterController(@Value("${session.replication.member-name}") String node) {
		this.node = node;
	}

	@GetMapping("/counter")
	Answer counter(HttpSession session) {
		Object counter = session.getAttribute("counter");
		if (counter == null) {
			session.setAttribute("profile", PROFILE);
		}
		int next = (counter != null) ? (Integer) counter + 1 : 1;
		session.setAttribute("counter", next);
		return new Answer(this.node, session.getId(), next);
	}

	/**
	 * The answer of {@code GET /counter}, with the sample's fields in the sample's order.
	 *
	 * @param node the node that answered
	 * @param session the id of the session
	 * @param counter the number of requests of the session, this one included
	 */
	record Answer(String node, String session, int counter) {
	}

}
