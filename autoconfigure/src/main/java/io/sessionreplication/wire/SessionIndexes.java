package io.sessionreplication.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The index values of a session, such as the name of the principal it belongs to
 * ({@link org.springframework.session.FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}),
 * as the member that saved it resolved them from its attributes. They travel with the
 * session, stamped like a field of it, so that no other member has to deserialize an
 * attribute to index the session.
 *
 * @param values the index values by index name
 * @param stamp the stamp of their last change
 */
public record SessionIndexes(Map<String, String> values, ChangeStamp stamp) {

	/** No index values, never changed. */
	public static final SessionIndexes NONE = new SessionIndexes(Map.of(), ChangeStamp.INITIAL);

	public SessionIndexes {
		// in the order given, so that a message always encodes to the same bytes
		values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
	}

}
