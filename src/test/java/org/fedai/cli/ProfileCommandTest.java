package org.fedai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.fedai.nostr.Json;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileCommandTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        int code = FedaiCommand.commandLine().setOut(new PrintWriter(out)).execute(args);
        assertThat(code).isZero();
        return out.toString();
    }

    @Test
    void jsonOutputParsesAndHasTheProfileShape() throws Exception {
        JsonNode json = Json.MAPPER.readTree(run("profile", "--json"));
        assertThat(json.path("software").asText()).startsWith("fedai ");
        assertThat(json.path("bands").isObject()).isTrue();
        assertThat(json.has("raw")).isFalse();
        assertThat(json.has("benchmarks")).isFalse();
    }

    @Test
    void tableSaysRolesAreOnlyRecommended() {
        String table = run("profile");
        assertThat(table).contains("cpu", "memory", "gpu", "Recommended roles (nothing is enabled");
        assertThat(table).doesNotContain("Raw figures");
    }

    @Test
    void verboseIsTheOnlyWayToRawFigures() {
        assertThat(run("profile", "--verbose")).contains("Raw figures (--verbose)", "logical cores");
    }
}
