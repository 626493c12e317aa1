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

package io.sessionreplication.samples.security;

import java.security.Principal;

import jakarta.servlet.http.HttpSession;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Greets the logged-in user, naming the session and the instance that answered.
 */
@RestController
class GreetingController {

	private final String node;

	GreetingController(@Value("${session.replication.member-name}") String node) {
		this.node = node;
	}

	@GetMapping("/")
	Greeting greet(Principal principal, HttpSession session) {
		return new Greeting(principal.getName(), session.getId(), this.node);
	}

	/**
	 * The answer of {@code GET /}.
	 *
	 * @param user the logged-in user
	 * @param session the id of the session
	 * @param node the instance that answered
	 */
	record Greeting(String user, String session, String node) {
	}

}
