package io.sessionreplication.benchmarks;

import java.util.concurrent.TimeUnit;

import io.sessionreplication.wire.AttributeClassFilter;
import io.sessionreplication.wire.AttributeSerializer;
import io.sessionreplication.wire.AttributeValue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Serializing an attribute value with {@link AttributeSerializer}, which every
 * {@code setAttribute} of a replicated session does: the two values of a
 * {@link TypicalSession}, the counter and the shopping cart of about 1 KiB.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class AttributeSerializationBenchmark {

	private final AttributeSerializer serializer = new AttributeSerializer(getClass().getClassLoader(),
			AttributeClassFilter.allowing("io.sessionreplication.**"));

	// not final, not constants: the compiler must not fold the values into the benchmarks
	private Integer counter = 4711;

	private ShoppingCart cart = ShoppingCart.sample();

	@Benchmark
	public AttributeValue serializeCounter() {
		return this.serializer.serialize(TypicalSession.COUNTER, this.counter);
	}

	@Benchmark
	public AttributeValue serializeCart() {
		return this.serializer.serialize(TypicalSession.CART, this.cart);
	}

}
