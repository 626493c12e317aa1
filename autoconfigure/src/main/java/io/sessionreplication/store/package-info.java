/**
 * What a member holds: the {@link io.sessionreplication.store.SessionStore} of this
 * member's copies, one {@link io.sessionreplication.store.SessionEntry} per session with
 * the change stamps that order concurrent changes, the removals it remembers, and the
 * index of sessions by index value. It applies changes, local or received, and says what
 * has to travel; it sends nothing itself.
 * <p>
 * Internal: these types are public only for the other packages of session-replication and
 * may change in any release.
 */
@NullMarked
package io.sessionreplication.store;

import org.jspecify.annotations.NullMarked;
