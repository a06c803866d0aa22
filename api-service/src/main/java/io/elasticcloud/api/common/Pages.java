package io.elasticcloud.api.common;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A customer's listing read a page at a time, each page the rows after the last one of the page
 * before in the listing's order (keyset, so a page costs the same however far in it is), so that
 * the answer is written while it is read and the API holds one page, not the whole listing. A
 * listing of fewer rows than a page is one query per kind of row, as it was before it was paged.
 */
public final class Pages {
    /** Rows per page: one statement per kind of row per 500 objects, and a page's infos in memory. */
    public static final int SIZE = 500;

    private Pages() {
    }

    /**
     * Hands each page to {@code sink}, in order, until a page is short.
     *
     * @param after the page after a row of the listing ({@code null}: the first), at most {@code size} rows
     */
    public static <T> void forEach(int size, Function<@Nullable T, List<T>> after, Consumer<List<T>> sink) {
        T last = null;
        while (true) {
            List<T> page = after.apply(last);
            if (page.size() > size) {
                throw new IllegalStateException("a page of " + page.size() + " rows, more than " + size);
            }
            if (!page.isEmpty()) {
                sink.accept(page);
            }
            if (page.size() < size) {
                return;
            }
            T next = page.get(page.size() - 1);
            if (next.equals(last)) {
                throw new IllegalStateException("the listing does not advance past " + last);
            }
            last = next;
        }
    }
}
