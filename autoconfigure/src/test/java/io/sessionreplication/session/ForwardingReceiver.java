package io.sessionreplication.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletionStage;

import io.sessionreplication.cluster.ClusterReceiver;

/**
 * A {@link ClusterReceiver} that hands everything to another one: the base of the
 * receivers a test puts between a member's transport and its replicator.
 */
public abstract class ForwardingReceiver implements ClusterReceiver {

	private final ClusterReceiver delegate;

	protected ForwardingReceiver(ClusterReceiver delegate) {
		this.delegate = delegate;
	}

	@Override
	public CompletionStage<byte[]> receive(byte[] payload, String sender) {
		return this.delegate.receive(payload, sender);
	}

	@Override
	public void viewChanged(List<String> members, boolean merge) {
		this.delegate.viewChanged(members, merge);
	}

	@Override
	public void writeState(OutputStream out) throws IOException {
		this.delegate.writeState(out);
	}

	@Override
	public void readState(InputStream in) throws IOException {
		this.delegate.readState(in);
	}

}
