package io.sessionreplication.test;

/**
 * The answer to one request of a {@link Browser}.
 *
 * @param member the member that answered
 * @param status the HTTP status
 * @param body the body, as text
 */
public record Reply(ClusterMember member, int status, String body) {

	/**
	 * Whether the status is 2xx: the application acknowledged the request.
	 * @return whether it did
	 */
	public boolean isSuccessful() {
		return this.status >= 200 && this.status < 300;
	}

	@Override
	public String toString() {
		return this.status + " from " + this.member.name() + ": "
				+ ((this.body.length() <= 200) ? this.body : this.body.substring(0, 200) + "...");
	}

}
