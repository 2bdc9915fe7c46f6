package org.fedai.runner.profile;

import org.fedai.runner.profile.CapabilityBands.Gpu;
import org.fedai.runner.profile.CapabilityBands.Simd;
import org.fedai.runner.profile.CapabilityBands.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RoleRecommenderTest {

    @ParameterizedTest(name = "cpu {0}, memory {1}, disk {2}, gpu {3} -> {4}")
    @CsvSource(delimiter = '|', value = {
            "SMALL  | SMALL  | SMALL  | NONE    | light-node router inference-embeddings",
            "MEDIUM | SMALL  | LARGE  | NONE    | light-node router inference-embeddings",
            "MEDIUM | MEDIUM | SMALL  | NONE    | light-node router inference-embeddings full-node validator",
            "MEDIUM | MEDIUM | MEDIUM | NONE    | light-node router inference-embeddings full-node validator aggregator",
            "SMALL  | MEDIUM | MEDIUM | PRESENT | light-node router inference-embeddings aggregator inference-llm",
            "LARGE  | LARGE  | LARGE  | NONE    | light-node router inference-embeddings full-node validator aggregator inference-llm",
            "SMALL  | SMALL  | SMALL  | PRESENT | light-node router inference-embeddings"})
    void rolesFollowTheBands(Size cpu, Size memory, Size disk, Gpu gpu, String roles) {
        CapabilityBands bands = new CapabilityBands("linux-x86_64", cpu, memory, disk, gpu, Simd.AVX2);
        List<String> recommended = RoleRecommender.recommend(bands).stream().map(RoleRecommender.Recommendation::role).toList();
        assertThat(recommended).containsExactly(roles.split(" "));
    }
}
