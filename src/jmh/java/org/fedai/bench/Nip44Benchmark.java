package org.fedai.bench;

import java.util.concurrent.TimeUnit;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip44;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/** NIP-44 v2 on one core: conversation key (one ECDH + HKDF-extract), and encrypt/decrypt per size. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class Nip44Benchmark {

    @Param({"100", "1000", "16000"})
    int plaintextBytes;

    private final KeyPair alice = KeyPair.generate();
    private final KeyPair bob = KeyPair.generate();
    private byte[] conversationKey;
    private String plaintext;
    private String payload;

    @Setup
    public void setUp() {
        conversationKey = Nip44.conversationKey(alice.secretKey(), bob.publicKey());
        plaintext = "é".repeat(plaintextBytes / 2);
        payload = Nip44.encrypt(plaintext, conversationKey);
    }

    @Benchmark
    public byte[] conversationKey() {
        return Nip44.conversationKey(alice.secretKey(), bob.publicKey());
    }

    @Benchmark
    public String encrypt() {
        return Nip44.encrypt(plaintext, conversationKey);
    }

    @Benchmark
    public String decrypt() {
        return Nip44.decrypt(payload, conversationKey);
    }
}
