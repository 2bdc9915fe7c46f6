package org.fedai.fl.he;

import java.security.SecureRandom;

/** A key pair generated once per test JVM: prime generation would dominate otherwise. A 512-bit modulus keeps properties fast; PaillierRoundTest covers 2048. */
final class TestKeys {

    static final SecureRandom RANDOM = new SecureRandom();
    static final PaillierKeyPair K512 = PaillierKeyPair.generate(512, RANDOM);

    private TestKeys() {
    }
}
