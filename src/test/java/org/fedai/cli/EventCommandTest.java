package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.KeyPair;
import org.junit.jupiter.api.Test;

class EventCommandTest {

    private static final KeyPair KEYS = KeyPair.generate();

    @Test
    void signPrintsOneLineOfValidSignedJson() throws Exception {
        CliRun run = CliRun.run("", "event", "sign", "--sec", KEYS.secretKeyHex(), "--kind", "1",
                "--content", "héllo \"world\"\n👋", "--tag", "t,fedai", "--tag", "e,a\\,b,c\\\\d,,@x",
                "--created-at", "1700000000");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).endsWith("\n");
        assertThat(run.out().strip()).doesNotContain("\n");
        Event event = EventJson.parse(run.out().strip());
        assertThat(EventVerifier.check(event)).isEqualTo(EventCheck.VALID);
        assertThat(event.pubkey()).isEqualTo(KEYS.publicKey());
        assertThat(event.kind()).isEqualTo(1);
        assertThat(event.createdAt()).isEqualTo(1_700_000_000L);
        assertThat(event.content()).isEqualTo("héllo \"world\"\n👋");
        assertThat(event.tags()).containsExactly(List.of("t", "fedai"), List.of("e", "a,b", "c\\d", "", "@x"));
    }

    @Test
    void signAcceptsNsecAndDefaultsContentAndTime() throws Exception {
        long before = java.time.Instant.now().getEpochSecond();
        CliRun run = CliRun.run("", "event", "sign", "--sec", KEYS.nsec(), "--kind", "30078");

        assertThat(run.exitCode()).isZero();
        Event event = EventJson.parse(run.out().strip());
        assertThat(event.content()).isEmpty();
        assertThat(event.tags()).isEmpty();
        assertThat(event.createdAt()).isBetween(before, java.time.Instant.now().getEpochSecond());
    }

    @Test
    void signRefusesBadInputWithExitTwo() {
        assertBadInput(CliRun.run("", "event", "sign", "--sec", "nothex", "--kind", "1"), "--sec");
        assertBadInput(CliRun.run("", "event", "sign", "--sec", KEYS.secretKeyHex(), "--kind", "70000"), "kind");
        assertBadInput(CliRun.run("", "event", "sign", "--sec", KEYS.secretKeyHex(), "--kind", "1", "--tag", "e,x\\"),
                "backslash");
        assertBadInput(CliRun.run("", "event", "sign", "--sec", KEYS.secretKeyHex(), "--kind", "1", "--tag", "e,\\n"),
                "escape");
        assertThat(CliRun.run("", "event", "sign", "--kind", "1").exitCode()).isEqualTo(2);
    }

    @Test
    void tagSplittingFollowsTheEscapes() {
        assertThat(EventCommand.splitTag("p")).containsExactly("p");
        assertThat(EventCommand.splitTag("p,")).containsExactly("p", "");
        assertThat(EventCommand.splitTag("a\\\\,b")).containsExactly("a\\", "b");
        assertThat(EventCommand.splitTag("a\\,\\\\\\,b")).containsExactly("a,\\,b");
        assertThatThrownBy(() -> EventCommand.splitTag("a\\")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifyReportsEachLineAndFailsIfAnyIsInvalid() {
        String good = signed("one");
        String other = signed("two");
        String tampered = good.replace("\"content\":\"one\"", "\"content\":\"uno\"");
        Event goodEvent = parse(good);
        String stdin = good + "\n\n   \n" + tampered + "\n{\"kind\":1}\n" + other + "\n";

        CliRun run = CliRun.run(stdin, "event", "verify");

        assertThat(run.exitCode()).isEqualTo(1);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("ok " + goodEvent.id());
        assertThat(lines.get(1)).isEqualTo("invalid " + goodEvent.id() + " id does not match the event's sha256");
        assertThat(lines.get(2)).startsWith("invalid ? event lacks");
        assertThat(lines.get(3)).isEqualTo("ok " + parse(other).id());
    }

    @Test
    void verifyExitsZeroWhenAllLinesAreValid() {
        CliRun run = CliRun.run(signed("a") + "\n" + signed("b"), "event", "verify");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).allMatch(l -> l.startsWith("ok "));
    }

    private static String signed(String content) {
        return CliRun.run("", "event", "sign", "--sec", KEYS.secretKeyHex(), "--kind", "1", "--content", content)
                .out().strip();
    }

    private static Event parse(String json) {
        try {
            return EventJson.parse(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertBadInput(CliRun run, String mention) {
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("error:").contains(mention);
    }
}
