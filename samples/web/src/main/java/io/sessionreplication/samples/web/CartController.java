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

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A cart kept in the session as a list that each request changes in place, without
 * {@code setAttribute} again: the case of {@code session.replication.save-mode}. With the
 * default save mode the other instances keep the cart as it was when it was set, empty;
 * with {@code on-get-attribute} or {@code always} every item reaches them.
 */
@RestController
class CartController {

	static final String CART_ATTRIBUTE = "cart";

	private final String node;

	CartController(@Value("${session.replication.member-name}") String node) {
		this.node = node;
	}

	@PostMapping("/cart")
	CartResponse add(@RequestParam String item, HttpSession session) {
		List<String> cart = cart(session);
		if (cart == null) {
			cart = new ArrayList<>();
			session.setAttribute(CART_ATTRIBUTE, cart);
		}
		// in place, as much code does: no setAttribute after the change
		cart.add(item);
		return new CartResponse(this.node, List.copyOf(cart));
	}

	@GetMapping("/cart")
	CartResponse show(HttpSession session) {
		List<String> cart = cart(session);
		return new CartResponse(this.node, (cart != null) ? List.copyOf(cart) : List.of());
	}

	@SuppressWarnings("unchecked")
	private static @Nullable List<String> cart(HttpSession session) {
		return (List<String>) session.getAttribute(CART_ATTRIBUTE);
	}

	/**
	 * The answer of {@code /cart}.
	 *
	 * @param node the instance that answered
	 * @param items the items of the cart, as this instance holds them
	 */
	record CartResponse(String node, List<String> items) {
	}

}
