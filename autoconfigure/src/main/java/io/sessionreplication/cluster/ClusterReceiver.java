package io.sessionreplication.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link ClusterTransport} delivers to the engine. Payloads from one member arrive
 * in the order it sent them; payloads from different members may arrive concurrently.
 */
public interface ClusterReceiver {

	/**
	 * A payload from another member. It is applied before this method returns, so the
	 * payloads of one member are applied in the order it sent them. What a synchronous
	 * sender waits for is the returned stage: it completes once the payload is applied
	 * and whatever else it requires of this member is done. A receiver that must wait for
	 * other members (to forward a change, say) does so after returning, and completes the
	 * stage then: waiting here would hold up every later payload of the sender, and two
	 * members waiting for each other here would wait until the timeout.
	 * @param payload the payload
	 * @param sender the sending member
	 * @return the reply to a {@link ClusterTransport#request}, or {@code null} for none,
	 * once this member is done with the payload
	 */
	CompletionStage<byte @Nullable []> receive(byte[] payload, String sender);

	/**
	 * Write this member's state for a joining member.
	 * @param out the stream to write to
	 * @throws IOException if the stream fails
	 */
	void writeState(OutputStream out) throws IOException;

	/**
	 * Read the state written by {@link #writeState} on another member, applying it as it
	 * arrives, so that what arrived stays applied if the transfer is cut short.
	 * @param in the stream to read from
	 * @throws IOException if the stream fails
	 */
	void readState(InputStream in) throws IOException;

	/**
	 * The membership changed.
	 * @param members the members of the new view, in the agreed order
	 * @param merge whether the view merges sub-clusters that had been apart (after a
	 * partition, or members that started at the same time and did not see each other)
	 */
	default void viewChanged(List<String> members, boolean merge) {
	}

}
