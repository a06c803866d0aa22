package io.elasticcloud.api.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A listing read a page at a time: each page is handed on before the next is read (so what was
 * written of it is gone from the API before more rows come), every row once, in order.
 */
class PagesTest {
    private static final List<Integer> ROWS = IntStream.rangeClosed(1, 7).boxed().toList();

    /** The rows after {@code last} ({@code null}: from the first), at most {@code size}; each read recorded. */
    private List<Integer> after(Integer last, int size, List<String> events) {
        events.add("read after " + last);
        return ROWS.stream().filter(r -> last == null || r > last).limit(size).toList();
    }

    @Test
    void eachPageIsHandedOnBeforeTheNextIsRead() {
        List<String> events = new ArrayList<>();
        Pages.forEach(3, (Integer last) -> after(last, 3, events), page -> events.add("wrote " + page));
        assertThat(events).containsExactly("read after null", "wrote [1, 2, 3]", "read after 3", "wrote [4, 5, 6]",
                "read after 6", "wrote [7]");
    }

    @Test
    void aListingThatFillsItsLastPageEndsAtTheEmptyPageAfter() {
        List<String> events = new ArrayList<>();
        Pages.forEach(7, (Integer last) -> after(last, 7, events), page -> events.add("wrote " + page));
        assertThat(events).containsExactly("read after null", "wrote [1, 2, 3, 4, 5, 6, 7]", "read after 7");
    }

    @Test
    void anEmptyListingWritesNothing() {
        List<String> events = new ArrayList<>();
        Pages.forEach(3, (Integer last) -> List.<Integer>of(), page -> events.add("wrote " + page));
        assertThat(events).isEmpty();
    }

    @Test
    void aPageLargerThanAskedOrOneThatDoesNotAdvanceIsABug() {
        assertThatThrownBy(() -> Pages.forEach(2, (Integer last) -> List.of(1, 2, 3), page -> {
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Pages.forEach(2, (Integer last) -> List.of(1, 2), page -> {
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("does not advance");
    }
}
