package org.fedai.runner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InputPolicyTest {

    private final InputPolicy policy = new InputPolicy(16, 24, 3);

    private FailureReason refusal(List<String> texts) {
        try {
            policy.admitAll(texts);
            throw new AssertionError("admitted " + texts);
        } catch (RunFailedException e) {
            return e.reason();
        }
    }

    @Test
    void emptyInputIsRefused() {
        assertThat(refusal(List.of())).isEqualTo(FailureReason.INVALID_INPUT);
        assertThat(refusal(List.of(""))).isEqualTo(FailureReason.INVALID_INPUT);
    }

    @Test
    void validTextIsAdmittedNfcNormalised() throws RunFailedException {
        assertThat(policy.admitAll(List.of("cafe\u0301", "tab\tand\nnewline"))).containsExactly("caf\u00e9", "tab\tand\nnewline");
    }

    @Test
    void sizeIsCountedInUtf8Bytes() {
        assertThat(refusal(List.of("ééééééééé"))).isEqualTo(FailureReason.INPUT_TOO_LARGE); // 9 chars, 18 bytes
        assertThat(refusal(List.of("0123456789", "0123456789", "01234"))).isEqualTo(FailureReason.INPUT_TOO_LARGE);
    }

    @Test
    void batchIsBounded() {
        assertThat(refusal(List.of("a", "b", "c", "d"))).isEqualTo(FailureReason.BATCH_TOO_LARGE);
    }

    @Test
    void controlCharactersOtherThanLayoutWhitespaceAreRefused() {
        assertThat(refusal(List.of("a\u0000b"))).isEqualTo(FailureReason.CONTROL_CHARACTERS);
        assertThat(refusal(List.of("esc\u001b[31m"))).isEqualTo(FailureReason.CONTROL_CHARACTERS);
        assertThat(refusal(List.of("sep\u001fx"))).isEqualTo(FailureReason.CONTROL_CHARACTERS);
        assertThat(refusal(List.of("del\u007f"))).isEqualTo(FailureReason.CONTROL_CHARACTERS);
        assertThat(refusal(List.of("nel\u0085"))).isEqualTo(FailureReason.CONTROL_CHARACTERS);
    }

    @Test
    void unpairedSurrogatesAreRefused() {
        assertThat(refusal(List.of("x\uD800y"))).isEqualTo(FailureReason.INVALID_INPUT);
        assertThat(refusal(List.of("x\uDC00"))).isEqualTo(FailureReason.INVALID_INPUT);
    }

    @Test
    void chatRolesAreChecked() {
        assertThatThrownBy(() -> policy.admitChat(List.of(new RunInput.ChatMessage("tool", "x"))))
                .isInstanceOf(RunFailedException.class).hasMessage("unknown chat role tool");
    }
}
