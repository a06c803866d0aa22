package io.elasticcloud.api.common;

import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;

/**
 * A row this process makes is inserted by its first save, never merged: an entity that extends
 * this and implements {@code Persistable} with its id is new until it is loaded or saved. Without
 * it Spring Data takes an entity whose id is already set (all of ours: UUIDs and addresses chosen
 * here) for a stored one and merges it, a select before the insert and a version update after at
 * every create, and a new row would overwrite one of the same id instead of failing on the key.
 */
@MappedSuperclass
public abstract class InsertedRow {
    @Transient
    private boolean fresh = true;

    /** Loaded, saved, or read by plain SQL: a row that is stored. */
    @PostLoad
    @PostPersist
    protected void stored() {
        fresh = false;
    }

    /** {@code Persistable.isNew}: made here and not yet saved. */
    public boolean isNew() {
        return fresh;
    }
}
