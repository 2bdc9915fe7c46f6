package org.fedai.fl.he;

import java.security.SecureRandom;

/** Key pairs generated once per test JVM: prime generation dominates otherwise. Small moduli keep properties fast. */
final class TestKeys {

    static final SecureRandom RANDOM = new SecureRandom();
    static final PaillierKeyPair K512 = PaillierKeyPair.generate(512, RANDOM);
    static final PaillierKeyPair K1024 = PaillierKeyPair.generate(1024, RANDOM);

    private TestKeys() {
    }
}
