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

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;

/**
 * A request of a session: which instance answered it, and when. The sample keeps the last
 * one in the session, a value of the application's own class, as sessions often carry.
 * Its {@code serialVersionUID} is its version in the session: an instance with another
 * one cannot read the visits that the others stored (a class, not a record, since Java
 * serialization does not compare the versions of records).
 */
public class Visit implements Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String node;

	private final Instant time;

	Visit(String node, Instant time) {
		this.node = node;
		this.time = time;
	}

	/**
	 * The instance that answered.
	 * @return its member name
	 */
	public String getNode() {
		return this.node;
	}

	/**
	 * When it answered.
	 * @return the time
	 */
	public Instant getTime() {
		return this.time;
	}

}
