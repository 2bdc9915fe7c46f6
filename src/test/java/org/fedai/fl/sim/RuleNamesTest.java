package org.fedai.fl.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedai.protocol.FederationTaskCodec;
import org.junit.jupiter.api.Test;

/** One name for each aggregation rule: the task's (31410), whatever spelling fl simulate used to take. */
class RuleNamesTest {

    @Test
    void olderSpellingsMeanTheTasksNames() {
        assertThat(Rules.canonical("multikrum")).isEqualTo("multi_krum");
        assertThat(Rules.canonical("Trimmed")).isEqualTo("trimmed_mean");
        assertThat(Rules.canonical("multi_krum")).isEqualTo("multi_krum");
    }

    @Test
    void everyRuleATaskCanNameIsARuleTheSimulatorRuns() {
        for (String name : FederationTaskCodec.AGGREGATIONS) {
            assertThat(Rules.canonical(name)).isEqualTo(name);
            if (!name.equals("fltrust")) { // fltrust needs the validator's root set, which this check has not
                assertThat(Rules.named(name, null, null, null, 0)).isNotNull();
            }
        }
    }

    @Test
    void anUnknownNameIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Rules.canonical("mean")).hasMessageContaining("expected " + Rules.NAMES);
    }
}
