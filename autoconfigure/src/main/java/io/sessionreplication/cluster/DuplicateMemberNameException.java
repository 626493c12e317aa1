package io.sessionreplication.cluster;

/**
 * A member tried to join a cluster in which another member already has its name. Members
 * are told apart by name (a session's owners, the origin of a change), so the joiner
 * leaves rather than take the other's messages.
 */
public class DuplicateMemberNameException extends IllegalStateException {

	private final String memberName;

	/**
	 * Create an exception.
	 * @param memberName the name both members have
	 * @param otherMember where the member that has it already is
	 */
	public DuplicateMemberNameException(String memberName, String otherMember) {
		super("the member at " + otherMember + " is already named " + memberName);
		this.memberName = memberName;
	}

	/**
	 * @return the name both members have
	 */
	public String getMemberName() {
		return this.memberName;
	}

}
