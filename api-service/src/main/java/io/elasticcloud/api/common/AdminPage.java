package io.elasticcloud.api.common;

import io.elasticcloud.protocol.ElasticException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/**
 * One page of an admin listing in Actuator ({@code ?offset=&limit=}). Every listing that grows
 * with the cloud (customers, the audit log, hosts, storage nodes) answers at most
 * {@link #MAX_LIMIT} entries, {@link #DEFAULT_LIMIT} when the caller names no limit, so that none
 * reads and renders every row of a large cloud in one reply.
 *
 * @param offset how many entries of the listing's order to pass over
 * @param limit  how many to answer at most
 */
public record AdminPage(int offset, int limit) {
    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 10_000;

    /** The page the query parameters ask for; {@code usage} for a negative offset or a limit out of range. */
    public static AdminPage of(@Nullable Integer offset, @Nullable Integer limit) {
        int from = offset == null ? 0 : offset;
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (from < 0) {
            throw ElasticException.usage("offset must be 0 or more");
        }
        if (size < 1 || size > MAX_LIMIT) {
            throw ElasticException.usage("limit must be from 1 to %d", MAX_LIMIT);
        }
        return new AdminPage(from, size);
    }

    /** This page of a list already in its order. */
    public <T> List<T> of(List<T> all) {
        return all.subList(Math.min(offset, all.size()), (int) Math.min((long) offset + limit, all.size()));
    }

    /** This page for a Spring Data query, whose own {@code ORDER BY} gives the order. */
    public Pageable pageable() {
        return new Offset(offset, limit);
    }

    /** A page request starting at any offset, not only at a multiple of its size. */
    private static final class Offset extends PageRequest {
        private final int offset;

        Offset(int offset, int limit) {
            super(offset / limit, limit, Sort.unsorted());
            this.offset = offset;
        }

        @Override
        public long getOffset() {
            return offset;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Offset o && o.offset == offset && o.getPageSize() == getPageSize();
        }

        @Override
        public int hashCode() {
            return 31 * offset + getPageSize();
        }
    }
}
