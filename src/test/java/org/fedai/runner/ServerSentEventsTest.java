package org.fedai.runner;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ServerSentEventsTest {

    private static List<String> events(String... lines) {
        ServerSentEvents sse = new ServerSentEvents();
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            sse.feed(line).ifPresent(out::add);
        }
        return out;
    }

    @Test
    void nothingBeforeTheBlankLine() {
        assertThat(new ServerSentEvents().feed("data: x")).isEqualTo(Optional.empty());
        assertThat(events("data: x")).isEmpty();
    }

    @Test
    void oneSpaceAfterTheColonIsDropped() {
        assertThat(events("data: a", "", "data:b", "", "data:  c", "")).containsExactly("a", "b", " c");
    }

    @Test
    void dataLinesOfOneEventJoinWithNewlines() {
        assertThat(events("data: a", "data: b", "")).containsExactly("a\nb");
    }

    @Test
    void commentsAndOtherFieldsAreSkipped() {
        assertThat(events(": ping", "", "event: delta", "id: 7", "retry: 10", "data: x", "")).containsExactly("x");
    }

    @Test
    void blankLinesWithoutDataDispatchNothing() {
        assertThat(events("", "", "event: x", "")).isEmpty();
    }
}
