package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Code and spec must not drift: every kind in code has its spec and schema, and every spec a codec. */
class EventKindSpecTest {

    @Test
    void everyKindInCodeHasSpecAndSchema() {
        for (FedaiKind kind : FedaiKind.values()) {
            assertThat(KindSchemas.DIR.resolve(kind.specName() + ".md")).as(kind + " spec").isRegularFile();
            assertThat(KindSchemas.DIR.resolve(kind.specName() + ".schema.json")).as(kind + " schema").isRegularFile();
        }
    }

    @Test
    void everySpecFileHasAKindInCode() throws IOException {
        Set<String> inCode = Arrays.stream(FedaiKind.values()).map(FedaiKind::specName).collect(Collectors.toSet());
        try (Stream<Path> files = Files.list(KindSchemas.DIR)) {
            Set<String> specs = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("\\d+-.+\\.md"))
                    .map(n -> n.substring(0, n.length() - 3))
                    .collect(Collectors.toSet());
            assertThat(specs).containsExactlyInAnyOrderElementsOf(inCode);
        }
    }

    @Test
    void specIndexListsEveryKind() throws IOException {
        String index = Files.readString(KindSchemas.DIR.resolve("README.md"));
        for (FedaiKind kind : FedaiKind.values()) {
            assertThat(index).contains(kind.specName() + ".md");
        }
    }
}
