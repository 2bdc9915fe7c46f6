package org.fedai.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --nip90-model KIND=MODEL}, for the gateway of {@code fedai router --nip90} and {@code fedai node --nip90}. */
final class Nip90ModelOption {

    @Option(names = "--nip90-model", paramLabel = "KIND=MODEL",
            description = "The model for a NIP-90 request kind that names none (repeatable; defaults: "
                    + "5700=all-minilm-l6-v2-q, 5701=cl100k_base; 5050 has none unless given).")
    Map<Integer, String> models = new HashMap<>();
}
