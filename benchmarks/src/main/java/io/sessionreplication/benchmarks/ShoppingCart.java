package io.sessionreplication.benchmarks;

import java.io.Serializable;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The large attribute of a {@link TypicalSession}: a shopping cart of ten items, 976
 * bytes once serialized. A graph of objects, as session values usually are, rather than a
 * byte array, which Java serialization writes in one piece. Nothing reads its fields.
 *
 * @param customerId the customer the cart belongs to
 * @param items what is in the cart
 */
record ShoppingCart(String customerId, List<Item> items) implements Serializable {

	/**
	 * A cart of ten items, the same every time.
	 * @return the cart
	 */
	static ShoppingCart sample() {
		List<Item> items = IntStream.range(0, 10)
			.mapToObj((i) -> new Item("SKU-" + (100000 + i), "Product " + i + " in the sample catalogue", 1 + i % 3,
					999 + 250L * i))
			.toList();
		return new ShoppingCart("customer-4711", items);
	}

	/**
	 * One line of the cart.
	 *
	 * @param sku the product's stock keeping unit
	 * @param name the product's name
	 * @param quantity how many
	 * @param unitPriceCents the price of one, in cents
	 */
	record Item(String sku, String name, int quantity, long unitPriceCents) implements Serializable {

	}

}
