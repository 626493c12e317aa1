package io.sessionreplication.wire;

import org.jspecify.annotations.Nullable;

/**
 * The latest change of one session attribute: its new value, or its removal.
 *
 * @param name the attribute name
 * @param stamp orders this change against concurrent changes of the same attribute
 * @param value the new value, or {@code null} if the attribute was removed
 */
public record AttributeChange(String name, ChangeStamp stamp, @Nullable AttributeValue value) {

	/**
	 * Whether the attribute was removed by this change.
	 * @return {@code true} for a removal
	 */
	public boolean isRemoval() {
		return this.value == null;
	}

}
