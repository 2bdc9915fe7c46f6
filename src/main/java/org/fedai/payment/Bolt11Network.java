package org.fedai.payment;

/**
 * The currency prefixes of BOLT #11 (https://github.com/lightning/bolts/blob/master/11-payment-encoding.md):
 * {@code ln} followed by the BIP-173 currency prefix of the chain.
 */
public enum Bolt11Network {
    BITCOIN("lnbc"),
    TESTNET("lntb"),
    SIGNET("lntbs"),
    REGTEST("lnbcrt"),
    SIMNET("lnsb");

    // Longest first: "lnbcrt" and "lntbs" begin with "lnbc" and "lntb", and an amount always starts with a digit.
    private static final Bolt11Network[] BY_PREFIX_LENGTH = {REGTEST, SIGNET, BITCOIN, TESTNET, SIMNET};

    private final String prefix;

    Bolt11Network(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** The network whose prefix starts this lower-case human-readable part, or null. */
    static Bolt11Network ofHumanReadablePart(String hrp) {
        for (Bolt11Network network : BY_PREFIX_LENGTH) {
            if (hrp.startsWith(network.prefix)) {
                return network;
            }
        }
        return null;
    }
}
