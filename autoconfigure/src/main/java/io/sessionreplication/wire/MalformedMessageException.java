package io.sessionreplication.wire;

/**
 * Thrown when bytes received from the cluster are not a message this version understands:
 * corrupt, truncated, from an incompatible version, or hostile.
 */
public class MalformedMessageException extends RuntimeException {

	MalformedMessageException(String message) {
		super(message);
	}

	MalformedMessageException(String message, Throwable cause) {
		super(message, cause);
	}

}
