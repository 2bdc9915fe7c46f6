package org.fedai.roles.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.node.ScriptedPeers.DEADLINE;
import static org.fedai.roles.node.ScriptedPeers.newJobId;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.MeteringRecord;
import org.fedai.protocol.StreamChunk;
import org.fedai.protocol.WorkOrder;
import org.fedai.runner.ModelServerConfig;
import org.fedai.runner.OpenAiRunner;
import org.fedai.testing.ChatServerStandIn;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A chat job through the real OpenAI-compatible runner against a loopback model server that streams its answer
 * as server-sent events: the node forwards the deltas as sealed 24401 chunks, then the whole text as 4406.
 */
@RelayTest
class NodeChatJobTest extends NodeRoleFixture {

    private static final String CHAT_MODEL = "qwen2.5-0.5b";
    private ChatServerStandIn modelServer;

    @BeforeEach
    void startModelServer() throws Exception {
        modelServer = ChatServerStandIn.start(CHAT_MODEL, List.of("Hello", ", world"), 9, 3);
    }

    @AfterEach
    void stopModelServer() {
        modelServer.close();
    }

    @Test
    void chatJobStreamsChunksThenDeliversTheWholeText() throws Exception {
        startNode(config(), new OpenAiRunner(ModelServerConfig.of(modelServer.baseUrl(), List.of(CHAT_MODEL),
                List.of())));
        String job = newJobId();
        Event quote = quotedAndPaid(job, List.of("Say hello"), CHAT_MODEL, "chat", Map.of("max_tokens", "16"));
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID, List.of(invoiceHash(job)));
        await().atMost(DEADLINE).until(() -> peers.metering(job).size() == 1);

        JobResult result = peers.results(job).get(0);
        assertThat(result.outputType()).isEqualTo("text");
        assertThat(result.output()).isEqualTo("Hello, world");
        List<StreamChunk> chunks = peers.fromNode(24401, job).stream()
                .map(e -> JobProgressCodecs.decodeChunk(e, peers.client).orElseThrow())
                .sorted(Comparator.comparingLong(StreamChunk::seq)).toList();
        assertThat(chunks).extracting(StreamChunk::seq).containsExactly(0L, 1L);
        assertThat(chunks.stream().map(StreamChunk::text).collect(Collectors.joining())).isEqualTo(result.output());
        MeteringRecord record = peers.metering(job).get(0);
        assertThat(record.units()).isEqualTo(12);
        assertThat(record.unit()).isEqualTo("token");
        assertPublishedEventsMatchTheirSchemas();
    }
}
