package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip19;
import org.junit.jupiter.api.Test;

class KeysCommandTest {

    @Test
    void generatePrintsFourConsistentLabelledLines() {
        CliRun run = CliRun.run("", "keys", "generate");

        assertThat(run.exitCode()).isZero();
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(4);
        String secret = value(lines[0], "secret:");
        String pubkey = value(lines[1], "pubkey:");
        String nsec = value(lines[2], "nsec:");
        String npub = value(lines[3], "npub:");
        assertThat(KeyPair.parse(secret).publicKey()).isEqualTo(pubkey);
        assertThat(KeyPair.parse(nsec).secretKeyHex()).isEqualTo(secret);
        assertThat(Nip19.decodeNpub(npub)).isEqualTo(pubkey);
    }

    @Test
    void generateJsonIsOneObjectWithTheFourKeys() throws Exception {
        CliRun run = CliRun.run("", "keys", "generate", "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).doesNotContain("\n");
        JsonNode node = Json.MAPPER.readTree(run.out());
        assertThat(node.size()).isEqualTo(4);
        KeyPair keys = KeyPair.parse(node.get("secret").asText());
        assertThat(node.get("pubkey").asText()).isEqualTo(keys.publicKey());
        assertThat(node.get("nsec").asText()).isEqualTo(keys.nsec());
        assertThat(node.get("npub").asText()).isEqualTo(keys.npub());
    }

    @Test
    void everyRunMakesANewKey() {
        assertThat(CliRun.run("", "keys", "generate").out()).isNotEqualTo(CliRun.run("", "keys", "generate").out());
    }

    private static String value(String line, String label) {
        assertThat(line).startsWith(label);
        return line.substring(label.length()).strip();
    }

    @Test
    void convertTurnsEachFormIntoTheOthers() {
        KeyPair keys = KeyPair.generate();

        assertThat(CliRun.run("", "keys", "convert", keys.npub()).out())
                .isEqualTo("pubkey: " + keys.publicKey() + "\nnpub:   " + keys.npub() + "\n");
        assertThat(CliRun.run("", "keys", "convert", keys.publicKey()).out()).contains("npub:   " + keys.npub());
        CliRun secret = CliRun.run(keys.nsec() + "\n", "keys", "convert", "-");
        assertThat(secret.out()).contains("secret: " + keys.secretKeyHex(), "pubkey: " + keys.publicKey(),
                "npub:   " + keys.npub());
        assertThat(CliRun.run("", "keys", "convert", "--secret", keys.secretKeyHex()).out())
                .contains("nsec:   " + keys.nsec());
    }

    @Test
    void convertRefusesWhatIsNoKeyInOneLine() {
        CliRun run = CliRun.run("", "keys", "convert", "npub1bogus");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(2).first().asString()
                .startsWith("fedai keys convert: KEY is not an npub, nsec or 64-hex key");
    }
}
