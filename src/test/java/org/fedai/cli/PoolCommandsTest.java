package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.ScriptedRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code fedai publish} and {@code fedai req} against real websockets on loopback. */
class PoolCommandsTest {

    private final KeyPair keys = KeyPair.generate();
    private final List<ScriptedRelay> relays = new ArrayList<>();
    private final InputStream originalIn = System.in;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void tearDown() throws Exception {
        System.setIn(originalIn);
        for (ScriptedRelay r : relays) {
            r.stop();
        }
    }

    private ScriptedRelay relay() throws Exception {
        ScriptedRelay relay = ScriptedRelay.started();
        relays.add(relay);
        return relay;
    }

    private Event note(int kind, String content) {
        return EventSigner.sign(UnsignedEvent.of(kind, content, List.of()), keys);
    }

    private int run(String stdin, String... args) {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        CommandLine cli = FedaiCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private List<String> outLines() {
        return Arrays.stream(out.toString().split("\n")).filter(l -> !l.isBlank()).toList();
    }

    @Test
    void publishPrintsEachRelaysVerdictAndSucceedsWhenAllAreAccepted() throws Exception {
        ScriptedRelay a = relay();
        ScriptedRelay b = relay();
        Event first = note(1, "one");
        Event second = note(1, "two");

        int exit = run(EventJson.toJson(first) + "\n\n" + EventJson.toJson(second) + "\n",
                "publish", "--relay", a.url(), "--relay", b.url(), "--timeout", "10", "--stats");

        assertThat(exit).isZero();
        assertThat(outLines()).containsExactly(
                "OK " + first.id() + " " + a.url() + " true",
                "OK " + first.id() + " " + b.url() + " true",
                "OK " + second.id() + " " + a.url() + " true",
                "OK " + second.id() + " " + b.url() + " true");
        assertThat(a.stored()).containsExactlyInAnyOrder(first, second);
        assertThat(b.stored()).containsExactlyInAnyOrder(first, second);
        assertThat(err.toString()).contains(a.url() + " connected=true").contains(b.url() + " connected=true");
    }

    @Test
    void publishFailsWhenNoRelayAcceptsAnEvent() throws Exception {
        ScriptedRelay a = relay();
        a.rejectWith("blocked: pubkey not allowed");
        Event event = note(1, "refused");

        int exit = run(EventJson.toJson(event) + "\n", "publish", "--relay", a.url(), "--timeout", "10");

        assertThat(exit).isEqualTo(1);
        assertThat(outLines()).containsExactly("OK " + event.id() + " " + a.url()
                + " false blocked: pubkey not allowed");
    }

    @Test
    void publishNamesMalformedAndForgedLines() throws Exception {
        ScriptedRelay a = relay();
        Event good = note(1, "fine");
        Event forged = new Event(good.id(), good.pubkey(), good.createdAt(), good.kind(), good.tags(), "changed",
                good.sig());

        int exit = run("{not json\n" + EventJson.toJson(forged) + "\n" + EventJson.toJson(good) + "\n",
                "publish", "--relay", a.url());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("line 1: ").contains("line 2: invalid: id does not match");
        assertThat(outLines()).containsExactly("OK " + good.id() + " " + a.url() + " true");
        assertThat(a.stored()).containsExactly(good);
    }

    @Test
    void publishReportsTimeoutFromASilentRelay() throws Exception {
        ScriptedRelay a = relay();
        a.withholdOk(true);
        Event event = note(1, "unheard");

        int exit = run(EventJson.toJson(event) + "\n", "publish", "--relay", a.url(), "--timeout", "0.5");

        assertThat(exit).isEqualTo(1);
        assertThat(outLines()).containsExactly("OK " + event.id() + " " + a.url() + " false timed out");
    }

    @Test
    void reqPrintsMatchingEventsOnceAcrossRelaysThenExits() throws Exception {
        ScriptedRelay a = relay();
        ScriptedRelay b = relay();
        Event note = note(1, "in both");
        Event onlyB = note(1, "only in b");
        Event reaction = note(7, "+");
        a.store(note);
        b.store(note);
        b.store(onlyB);
        b.store(reaction);

        int exit = run("", "req", "--relay", a.url(), "--relay", b.url(), "--filter", "{\"kinds\":[1]}",
                "--timeout", "10", "--stats");

        assertThat(exit).isZero();
        List<Event> printed = outLines().stream().map(PoolCommandsTest::parse).toList();
        assertThat(printed).containsExactlyInAnyOrder(note, onlyB);
        assertThat(err.toString()).contains("duplicates=1").doesNotContain("timed out");
    }

    @Test
    void reqAcceptsSeveralFilters() throws Exception {
        ScriptedRelay a = relay();
        Event note = note(1, "note");
        Event reaction = note(7, "+");
        Event other = note(30023, "article");
        List.of(note, reaction, other).forEach(a::store);

        int exit = run("", "req", "--relay", a.url(), "--filter", "{\"kinds\":[1]}", "--filter",
                "{\"kinds\":[7],\"authors\":[\"" + keys.publicKey() + "\"]}");

        assertThat(exit).isZero();
        assertThat(outLines().stream().map(PoolCommandsTest::parse).toList())
                .containsExactlyInAnyOrder(note, reaction);
    }

    @Test
    void reqRejectsAMalformedFilter() throws Exception {
        ScriptedRelay a = relay();

        int exit = run("", "req", "--relay", a.url(), "--filter", "{\"kinds\":\"one\"}");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("kinds must be an array of integers");
    }

    @Test
    void badRelayUrlOrTimeoutIsAUsageError() {
        assertThat(run("", "req", "--relay", "http://relay.example.com", "--filter", "{}")).isEqualTo(2);
        assertThat(err.toString()).contains("must be ws:// or wss://");
        assertThat(run("", "publish", "--relay", "ws://127.0.0.1:1", "--timeout", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--timeout must be between 0 and 86400 seconds");
    }

    private static Event parse(String json) {
        try {
            return EventJson.parse(json);
        } catch (Exception e) {
            throw new AssertionError("not an event: " + json, e);
        }
    }
}
