package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip44;
import org.junit.jupiter.api.Test;

class Nip44CommandTest {

    private static final KeyPair ALICE = KeyPair.generate();
    private static final KeyPair BOB = KeyPair.generate();

    @Test
    void bobDecryptsExactlyWhatAliceEncrypted() {
        String plaintext = "line one\nline two ✓ 🦄\n\n  trailing spaces  ";
        CliRun encrypted = CliRun.run(plaintext, "nip44", "encrypt", "--sec", ALICE.secretKeyHex(),
                "--peer", BOB.publicKey());
        assertThat(encrypted.exitCode()).as(encrypted.err()).isZero();
        assertThat(encrypted.out()).endsWith("\n");
        String payload = encrypted.out().strip();
        assertThat(Nip44.decrypt(payload, Nip44.conversationKey(BOB.secretKey(), ALICE.publicKey())))
                .isEqualTo(plaintext);

        CliRun decrypted = CliRun.run("\n  " + payload + "  \n", "nip44", "decrypt", "--sec", BOB.nsec(),
                "--peer", ALICE.npub());
        assertThat(decrypted.exitCode()).as(decrypted.err()).isZero();
        assertThat(decrypted.out()).isEqualTo(plaintext);
    }

    @Test
    void tamperedPayloadFailsWithExitTwoAndTheReason() {
        String payload = CliRun.run("secret", "nip44", "encrypt", "--sec", ALICE.secretKeyHex(),
                "--peer", BOB.publicKey()).out().strip();
        char last = payload.charAt(payload.length() - 2);
        String tampered = payload.substring(0, payload.length() - 2) + (last == 'A' ? 'B' : 'A')
                + payload.substring(payload.length() - 1);

        CliRun run = CliRun.run(tampered, "nip44", "decrypt", "--sec", BOB.secretKeyHex(), "--peer", ALICE.publicKey());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("MAC");
    }

    @Test
    void badInputsExitTwo() {
        assertBad(CliRun.run("", "nip44", "encrypt", "--sec", ALICE.secretKeyHex(), "--peer", BOB.publicKey()),
                "empty");
        assertBad(CliRun.run("x".repeat(65536), "nip44", "encrypt", "--sec", ALICE.secretKeyHex(), "--peer",
                BOB.publicKey()), "65535");
        assertBad(CliRun.run("hi", "nip44", "encrypt", "--sec", "zz", "--peer", BOB.publicKey()), "--sec");
        assertBad(CliRun.run("hi", "nip44", "encrypt", "--sec", ALICE.secretKeyHex(), "--peer", "00".repeat(32)),
                "public key");
        assertBad(CliRun.run(new byte[] {(byte) 0xC3, 0x28}, "nip44", "encrypt", "--sec", ALICE.secretKeyHex(),
                "--peer", BOB.publicKey()), "UTF-8");
        assertBad(CliRun.run("not a payload", "nip44", "decrypt", "--sec", BOB.secretKeyHex(), "--peer",
                ALICE.publicKey()), "payload");
        assertThat(CliRun.run("hi", "nip44", "encrypt", "--sec", ALICE.secretKeyHex()).exitCode()).isEqualTo(2);
    }

    @Test
    void maximumSizeMessagePassesThrough() {
        String plaintext = "é".repeat(65535 / 2) + "!";
        assertThat(plaintext.getBytes(StandardCharsets.UTF_8)).hasSize(65535);
        String payload = CliRun.run(plaintext, "nip44", "encrypt", "--sec", ALICE.secretKeyHex(),
                "--peer", BOB.publicKey()).out();
        CliRun decrypted = CliRun.run(payload, "nip44", "decrypt", "--sec", BOB.secretKeyHex(),
                "--peer", ALICE.publicKey());
        assertThat(decrypted.out()).isEqualTo(plaintext);
    }

    private static void assertBad(CliRun run, String mention) {
        assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("error:").contains(mention);
    }
}
