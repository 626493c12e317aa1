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

import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Counts the requests of each session in the session attribute {@code counter}, so that
 * which instance answers, and whether it saw the latest count, is visible from outside. A
 * new session also gets a {@code profile} of about 1 KiB, which later requests leave
 * unchanged, as a typical session carries. Each request also keeps its {@link Visit} in
 * the session attribute {@code lastVisit}, and tells the one before: which instance
 * answered the previous request of the session. It also invalidates the session on
 * logout.
 */
@RestController
class CounterController {

	static final String COUNTER_ATTRIBUTE = "counter";

	/** Set once, when the session starts: what a typical session carries besides. */
	static final String PROFILE_ATTRIBUTE = "profile";

	/** About 1 KiB, serialized. */
	private static final String PROFILE = "preferences:".repeat(84);

	/** The last request of the session, a value of the application's own class. */
	static final String LAST_VISIT_ATTRIBUTE = "lastVisit";

	private final String node;

	CounterController(@Value("${session.replication.member-name}") String node) {
		this.node = node;
	}

	@GetMapping("/counter")
	CounterResponse counter(HttpSession session) {
		Integer previous = (Integer) session.getAttribute(COUNTER_ATTRIBUTE);
		Visit lastVisit = (Visit) session.getAttribute(LAST_VISIT_ATTRIBUTE);
		int counter = (previous != null) ? previous + 1 : 1;
		if (previous == null) {
			session.setAttribute(PROFILE_ATTRIBUTE, PROFILE);
		}
		session.setAttribute(COUNTER_ATTRIBUTE, counter);
		session.setAttribute(LAST_VISIT_ATTRIBUTE, new Visit(this.node, Instant.now()));
		return new CounterResponse(this.node, session.getId(), counter, lastVisit);
	}

	/**
	 * The counter as it is, without counting this request: what a test reads on each
	 * instance to check that none lost an update.
	 * @param session the session
	 * @return the counter, 0 for a new session
	 */
	@GetMapping("/counter/current")
	CounterResponse current(HttpSession session) {
		Integer counter = (Integer) session.getAttribute(COUNTER_ATTRIBUTE);
		Visit lastVisit = (Visit) session.getAttribute(LAST_VISIT_ATTRIBUTE);
		return new CounterResponse(this.node, session.getId(), (counter != null) ? counter : 0, lastVisit);
	}

	@PostMapping("/logout")
	ResponseEntity<Void> logout(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.invalidate();
		}
		return ResponseEntity.noContent().build();
	}

	/**
	 * The answer of {@code GET /counter}.
	 *
	 * @param node the instance that answered
	 * @param session the id of the session
	 * @param counter the number of requests of the session, this one included
	 * @param previous the previous request of the session: {@code null} for the first, or
	 * if this instance cannot read it (a {@link Visit} of another version: see
	 * {@code session.replication.serialization.on-unreadable})
	 */
	record CounterResponse(String node, String session, int counter, @Nullable Visit previous) {
	}

}
