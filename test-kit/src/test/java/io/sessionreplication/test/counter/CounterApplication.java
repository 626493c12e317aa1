package io.sessionreplication.test.counter;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpSession;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the kit's own tests run as a cluster: a counter and a cart in the
 * session.
 */
@SpringBootApplication
@RestController
public class CounterApplication {

	public static void main(String[] args) {
		SpringApplication.run(CounterApplication.class, args);
	}

	/**
	 * Count this session's requests.
	 * @param session the session
	 * @return the new count
	 */
	@PostMapping("/counter")
	public int increment(HttpSession session) {
		Integer counter = (Integer) session.getAttribute("counter");
		int next = (counter != null) ? counter + 1 : 1;
		session.setAttribute("counter", next);
		return next;
	}

	/**
	 * This session's count.
	 * @param session the session
	 * @return the count, 0 for a new session
	 */
	@GetMapping("/counter")
	public int counter(HttpSession session) {
		Integer counter = (Integer) session.getAttribute("counter");
		return (counter != null) ? counter : 0;
	}

	/**
	 * Put an item in this session's cart, a list set as an attribute.
	 * @param item the item
	 * @param session the session
	 * @return the cart
	 */
	@PostMapping("/cart")
	@SuppressWarnings("unchecked")
	public List<String> add(@RequestParam String item, HttpSession session) {
		List<String> cart = (List<String>) session.getAttribute("cart");
		List<String> next = (cart != null) ? new ArrayList<>(cart) : new ArrayList<>();
		next.add(item);
		session.setAttribute("cart", next);
		return next;
	}

}
