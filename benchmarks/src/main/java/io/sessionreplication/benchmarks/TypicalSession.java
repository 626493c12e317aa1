package io.sessionreplication.benchmarks;

import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * The session every benchmark works with, as a typical web session: a counter, an
 * {@link Integer} that each request increments, and a {@link ShoppingCart} of about 1 KiB
 * that requests leave unchanged.
 */
final class TypicalSession {

	/** The name of the counter attribute. */
	static final String COUNTER = "counter";

	/** The name of the shopping cart attribute. */
	static final String CART = "cart";

	private TypicalSession() {
	}

	/**
	 * Create and save a typical session, its counter at zero.
	 * @param repository the repository to create it in
	 * @param <S> the session type of the repository
	 * @return the id of the session
	 */
	static <S extends Session> String create(SessionRepository<S> repository) {
		S session = repository.createSession();
		session.setAttribute(COUNTER, 0);
		session.setAttribute(CART, ShoppingCart.sample());
		repository.save(session);
		return session.getId();
	}

	/**
	 * What one request does to the session: read the counter and set it one higher.
	 * @param session the session
	 */
	static void incrementCounter(Session session) {
		Integer counter = session.getAttribute(COUNTER);
		session.setAttribute(COUNTER, counter + 1);
	}

}
