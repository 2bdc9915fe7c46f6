package org.fedai.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.UnsignedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedai event sign|verify}: NIP-01 events as one line of JSON. */
@Command(name = "event", mixinStandardHelpOptions = true, description = "Sign and verify Nostr events.")
public final class EventCommand {

    static final int BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Command(name = "sign", mixinStandardHelpOptions = true, description = "Sign an event; prints it as one line of JSON.")
    int sign(@Option(names = "--sec", required = true, description = "Secret key: hex or nsec.") String sec,
            @Option(names = "--kind", required = true, description = "Event kind, 0..65535.") int kind,
            @Option(names = "--content", defaultValue = "", description = "Content (default empty).") String content,
            @Option(names = "--tag", description = "A tag as name,value,...; repeatable. Escape a comma as \\, and a "
                    + "backslash as \\\\.") List<String> tagSpecs,
            @Option(names = "--created-at", description = "Unix seconds (default now).") Long createdAt) {
        try {
            KeyPair keys = parseKeys(sec);
            requireFaithfulArgument(content);
            List<List<String>> tags = new ArrayList<>();
            if (tagSpecs != null) {
                for (String tagSpec : tagSpecs) {
                    requireFaithfulArgument(tagSpec);
                    tags.add(splitTag(tagSpec));
                }
            }
            long at = createdAt == null ? Instant.now().getEpochSecond() : createdAt;
            if (at < 0) {
                throw new IllegalArgumentException("--created-at must be non-negative");
            }
            Event event = EventSigner.sign(new UnsignedEvent(at, kind, tags, content), keys);
            PrintWriter out = spec.commandLine().getOut();
            out.println(EventJson.toJson(event));
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + e.getMessage());
            err.flush();
            return BAD_INPUT;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify one event JSON per line of stdin; prints 'ok <id>' or 'invalid <id|?> <reason>'. "
                    + "Exit code 0 only if every event is valid.")
    int verify() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        boolean allValid = true;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String verdict = verdict(line);
            allValid &= verdict.startsWith("ok ");
            out.println(verdict);
        }
        out.flush();
        return allValid ? 0 : 1;
    }

    static String verdict(String line) {
        Event event;
        try {
            event = EventJson.parse(line);
        } catch (MalformedEventException e) {
            return "invalid ? " + e.getMessage();
        }
        // only echo an id that cannot break the one-verdict-per-line format
        String id = Hex.isLowerHex(event.id(), 32) ? event.id() : "?";
        EventCheck check = EventVerifier.check(event);
        if (check.valid()) {
            return "ok " + id;
        }
        return "invalid " + id + " " + check.reason().replaceFirst("^invalid: ", "");
    }

    /** Splits {@code name,v1,v2} on unescaped commas; {@code \,} is a comma and {@code \\} a backslash. */
    static List<String> splitTag(String tagSpec) {
        List<String> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < tagSpec.length(); i++) {
            char c = tagSpec.charAt(i);
            if (c == '\\') {
                if (i + 1 == tagSpec.length()) {
                    throw new IllegalArgumentException("--tag ends with a lone backslash: " + tagSpec);
                }
                char next = tagSpec.charAt(++i);
                if (next != ',' && next != '\\') {
                    throw new IllegalArgumentException("--tag has an unknown escape \\" + next
                            + " (only \\, and \\\\ are escapes): " + tagSpec);
                }
                current.append(next);
            } else if (c == ',') {
                values.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        values.add(current.toString());
        return values;
    }

    /**
     * The JVM decodes argv with the locale's charset before we see it; under a non-UTF-8 locale
     * (LANG=C) non-ASCII text arrives as U+FFFD. Signing that would silently publish mangled
     * text, so refuse and say why.
     */
    private static void requireFaithfulArgument(String value) {
        String argvCharset = System.getProperty("sun.jnu.encoding", "UTF-8");
        if (value.indexOf('\uFFFD') >= 0 && !argvCharset.equalsIgnoreCase("UTF-8")) {
            throw new IllegalArgumentException("arguments were decoded as " + argvCharset
                    + " and non-ASCII text was lost; run under a UTF-8 locale (e.g. LC_ALL=C.UTF-8)");
        }
    }

    private static KeyPair parseKeys(String sec) {
        try {
            return KeyPair.parse(sec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sec is not a valid secret key (64 hex characters or nsec)", e);
        }
    }
}
