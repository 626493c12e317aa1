package io.sessionreplication.replication;

import java.util.List;

/**
 * Which members must hold a copy of each session in one view: the copies that
 * {@link CopyRepair} compares between two members.
 */
public interface CopyPlacement {

	/**
	 * A fingerprint of the placement: two members whose fingerprints are equal place
	 * every session alike. 0 where the placement is the same in every view.
	 * @return the fingerprint
	 */
	long fingerprint();

	/**
	 * The members of the view, in the order every member agrees on.
	 * @return the members
	 */
	List<String> members();

	/**
	 * The members that must hold a copy of a session.
	 * @param sessionId the session id
	 * @return the members
	 */
	List<String> holders(String sessionId);

	/**
	 * The placement where every member holds every session.
	 * @param members the members of the view
	 * @return the placement
	 */
	static CopyPlacement everyMember(List<String> members) {
		List<String> all = List.copyOf(members);
		return new CopyPlacement() {

			@Override
			public long fingerprint() {
				return 0;
			}

			@Override
			public List<String> members() {
				return all;
			}

			@Override
			public List<String> holders(String sessionId) {
				return all;
			}

		};
	}

}
