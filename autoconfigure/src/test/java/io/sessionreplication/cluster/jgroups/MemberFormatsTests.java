package io.sessionreplication.cluster.jgroups;

import java.nio.charset.StandardCharsets;

import io.sessionreplication.cluster.WireFormats;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemberFormats}: what an address announces reads back, and an
 * announcement that is not a range of versions counts as none.
 */
class MemberFormatsTests {

	@Test
	void announcedFormatsReadBack() {
		ExtendedUUID address = (ExtendedUUID) MemberFormats.addressGenerator(new WireFormats(3, 4)).generateAddress();

		assertThat(MemberFormats.of(address)).isEqualTo(new WireFormats(3, 4));
		assertThat(new String(address.get("wire-formats"), StandardCharsets.US_ASCII)).isEqualTo("3-4");
	}

	@Test
	void addressThatAnnouncesNothingHasNoFormats() {
		assertThat(MemberFormats.of(UUID.randomUUID())).isNull();
		assertThat(MemberFormats.of(ExtendedUUID.randomUUID("node-1"))).isNull();
	}

	@Test
	void announcementThatIsNotARangeOfVersionsCountsAsNone() {
		for (String announced : new String[] { "", "3", "3-", "-4", "4-3", "0-4", "3-256", "255-256", "3-4-5", "0003-4",
				"3-4 ", "\u0663-4", "99999999-1" }) {
			ExtendedUUID address = ExtendedUUID.randomUUID()
				.put("wire-formats", announced.getBytes(StandardCharsets.UTF_8));

			assertThat(MemberFormats.of(address)).as(announced).isNull();
		}
	}

	@Test
	void widestAnnouncementIsRead() {
		ExtendedUUID address = ExtendedUUID.randomUUID()
			.put("wire-formats", "1-255".getBytes(StandardCharsets.US_ASCII));

		assertThat(MemberFormats.of(address)).isEqualTo(new WireFormats(1, 255));
	}

}
