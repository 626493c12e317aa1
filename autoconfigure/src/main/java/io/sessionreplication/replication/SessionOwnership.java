package io.sessionreplication.replication;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.sessionreplication.wire.Hash64;

import org.springframework.util.Assert;

/**
 * Which members own a session in {@link ReplicationMode#PRIMARY_BACKUP}: its primary and
 * its backups, chosen from the members of one view by rendezvous hashing. Every member
 * scores each member for the session id with the same hash and takes the
 * {@code backupCount + 1} highest scores, the highest first (the primary). So every
 * member that has the same view computes the same owners, without talking to the others,
 * and a join or a leave moves only the sessions whose owners it changes: about
 * {@code (backupCount + 1) / members} of them.
 * <p>
 * It does not decide where a session is created: see
 * {@link PrimaryBackupReplicator#newSessionId}.
 */
public final class SessionOwnership implements CopyPlacement {

	private static final long FNV_OFFSET = 0xcbf29ce484222325L;

	/** The highest score first; the member name breaks a tie. */
	private static final Comparator<Scored> HIGHEST_FIRST = Comparator.comparingLong(Scored::score)
		.reversed()
		.thenComparing(Scored::member);

	private final List<String> members;

	/** The members' names in UTF-8, as every session's scores hash them. */
	private final byte[][] memberBytes;

	private final int copies;

	private final long fingerprint;

	/**
	 * Ownership in one view.
	 * @param members the members of the view
	 * @param backupCount how many members besides the primary hold each session
	 */
	public SessionOwnership(List<String> members, int backupCount) {
		Assert.isTrue(backupCount >= 1, "'backupCount' must be at least 1");
		this.members = List.copyOf(members);
		this.memberBytes = this.members.stream()
			.map((member) -> member.getBytes(StandardCharsets.UTF_8))
			.toArray(byte[][]::new);
		this.copies = backupCount + 1;
		this.fingerprint = Hash64
			.mix(hash(String.join("\u0000", members).getBytes(StandardCharsets.UTF_8), FNV_OFFSET));
	}

	/**
	 * A fingerprint of the view's members, in order: equal views have equal ones.
	 * @return the fingerprint
	 */
	@Override
	public long fingerprint() {
		return this.fingerprint;
	}

	/**
	 * The members of the view.
	 * @return the members
	 */
	@Override
	public List<String> members() {
		return this.members;
	}

	/**
	 * The owners of a session, the primary first, then the backups; fewer than
	 * {@code backupCount + 1} when the view has fewer members.
	 * @param sessionId the session id
	 * @return the owners
	 */
	public List<String> owners(String sessionId) {
		long key = hash(sessionId.getBytes(StandardCharsets.UTF_8), FNV_OFFSET);
		Scored[] scored = new Scored[this.memberBytes.length];
		for (int i = 0; i < scored.length; i++) {
			scored[i] = new Scored(this.members.get(i), Hash64.mix(hash(this.memberBytes[i], key)));
		}
		Arrays.sort(scored, HIGHEST_FIRST);
		String[] owners = new String[Math.min(this.copies, scored.length)];
		for (int i = 0; i < owners.length; i++) {
			owners[i] = scored[i].member();
		}
		return List.of(owners);
	}

	/** A session's holders are its owners. */
	@Override
	public List<String> holders(String sessionId) {
		return owners(sessionId);
	}

	/**
	 * Whether a member owns a session.
	 * @param sessionId the session id
	 * @param member the member
	 * @return whether it is the primary or a backup
	 */
	public boolean isOwner(String sessionId, String member) {
		return owners(sessionId).contains(member);
	}

	/** FNV-1a over the bytes, from a seed. */
	private static long hash(byte[] bytes, long seed) {
		long hash = seed;
		for (byte b : bytes) {
			hash ^= (b & 0xff);
			hash *= 0x100000001b3L;
		}
		return hash;
	}

	private record Scored(String member, long score) {
	}

}
