package org.fedai.fl.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fedai.protocol.FederationTaskCodec;
import org.junit.jupiter.api.Test;

/** One name for each aggregation rule: the task's (31410), whatever spelling fl simulate used to take. */
class RuleRegistryTest {

    private static final RuleRegistry.Trust ROOT = new RuleRegistry.Trust.RootUpdate(UnaryOperator.identity());

    @Test
    void olderSpellingsMeanTheTasksNames() {
        assertThat(RuleRegistry.canonical("multikrum")).isEqualTo("multi_krum");
        assertThat(RuleRegistry.canonical("Trimmed")).isEqualTo("trimmed_mean");
        assertThat(RuleRegistry.canonical("multi_krum")).isEqualTo("multi_krum");
    }

    @Test
    void everyRuleATaskCanNameIsARuleTheSimulatorRuns() {
        for (String name : FederationTaskCodec.AGGREGATIONS) {
            assertThat(RuleRegistry.canonical(name)).isEqualTo(name);
            if (!name.equals("fltrust")) { // fltrust needs the validator's root set, which this check has not
                assertThat(RuleRegistry.rule(name, new RuleRegistry.Trust.None())).isNotNull();
            }
        }
    }

    @Test
    void anUnknownNameIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> RuleRegistry.canonical("mean")).hasMessageContaining("expected " + RuleRegistry.NAMES);
        assertThatThrownBy(() -> RuleRegistry.rule("mean", ROOT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown aggregation 'mean'");
    }

    @Test
    void everyWireCodeRoundTripsThroughItsRule() {
        for (RuleRegistry.Code code : RuleRegistry.Code.values()) {
            assertThat(RuleRegistry.code(code.code())).isEqualTo(code);
            AggregationRule rule = RuleRegistry.rule(code.code(), ROOT);
            assertThat(RuleRegistry.code(rule.name())).as(rule.name()).isEqualTo(code); // the rule reports its own code
        }
        Set<String> onWire = Stream.of(RuleRegistry.Code.values()).filter(RuleRegistry.Code::onWire)
                .map(RuleRegistry.Code::code).collect(Collectors.toSet());
        assertThat(onWire).isEqualTo(FederationTaskCodec.AGGREGATIONS); // exactly the codes a 31410 task may carry
    }

    @Test
    void fltrustNeverQuietlyBecomesFedAvg() {
        assertThatThrownBy(() -> RuleRegistry.rule("fltrust", new RuleRegistry.Trust.None()))
                .hasMessageContaining("fltrust needs");
        List<WeightedUpdate> in = List.of(new WeightedUpdate("a", new double[] {1, 0}, 1), new WeightedUpdate("b", new double[] {-1, 0}, 1));
        Aggregate trusted = RuleRegistry.rule("fltrust", new RuleRegistry.Trust.RootUpdate(g -> new double[] {1, 0}))
                .aggregate(in, List.of(), new double[2]);
        assertThat(trusted.used()).containsExactly("a");
        assertThat(trusted.excluded()).containsKey("b");
    }
}
