package io.stresslab.core.orch;

/**
 * A granted database lock: the resource, the owner it was granted to, and the fencing token of this grant (0 where the
 * manager issues none). Every protected write presents the grant.
 */
public record LockGrant(String resource, String owner, long token) {
}
