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
package io.sessionreplication.samples.webflux;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebSession;

/**
 * Counts the requests of each session, reactively: the session is read and saved by
 * Spring Session's {@code WebSessionManager}, whose save completes once the other
 * instances hold the change (in sync delivery) without blocking the event loop.
 */
@RestController
class CounterController {

	static final String COUNTER_ATTRIBUTE = "counter";

	private final String node;

	CounterController(@Value("${session.replication.member-name}") String node) {
		this.node = node;
	}

	@GetMapping("/counter")
	Mono<CounterResponse> counter(WebSession session) {
		Integer previous = session.getAttribute(COUNTER_ATTRIBUTE);
		int counter = (previous != null) ? previous + 1 : 1;
		session.getAttributes().put(COUNTER_ATTRIBUTE, counter);
		return Mono.just(new CounterResponse(this.node, session.getId(), counter));
	}

	/**
	 * The counter as it is, without counting this request.
	 * @param session the session
	 * @return the counter, 0 for a new session
	 */
	@GetMapping("/counter/current")
	Mono<CounterResponse> current(WebSession session) {
		Integer counter = session.getAttribute(COUNTER_ATTRIBUTE);
		return Mono.just(new CounterResponse(this.node, session.getId(), (counter != null) ? counter : 0));
	}

	/**
	 * The answer of {@code GET /counter}.
	 *
	 * @param node the instance that answered
	 * @param session the id of the session
	 * @param counter the number of requests of the session, this one included
	 */
	record CounterResponse(String node, String session, int counter) {
	}

}
