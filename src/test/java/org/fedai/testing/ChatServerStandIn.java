package org.fedai.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A contract stand-in for an external OpenAI-compatible LLM server, which cannot run here: a loopback server that
 * answers {@code POST /v1/chat/completions} with the documented streamed format (server-sent
 * {@code chat.completion.chunk} deltas, a usage chunk, {@code [DONE]}), so the real runner is tested on the wire.
 */
public final class ChatServerStandIn implements AutoCloseable {

    private final HttpServer server;
    private final AtomicReference<String> lastRequest = new AtomicReference<>("");

    /** Streams {@code deltas} as the answer of {@code model}, then the usage the server reports. */
    public static ChatServerStandIn start(String model, List<String> deltas, int promptTokens, int completionTokens)
            throws IOException {
        return new ChatServerStandIn(model, deltas, promptTokens, completionTokens);
    }

    private ChatServerStandIn(String model, List<String> deltas, int promptTokens, int completionTokens)
            throws IOException {
        List<String> stream = new ArrayList<>();
        stream.add(delta(model, "{\"role\":\"assistant\",\"content\":\"\"}", "null"));
        for (String d : deltas) {
            stream.add(delta(model, "{\"content\":\"" + d + "\"}", "null"));
        }
        stream.add(delta(model, "{}", "\"stop\""));
        stream.add("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":"
                + completionTokens + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}}\n\n");
        stream.add("data: [DONE]\n\n");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            lastRequest.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String part : stream) {
                    out.write(part.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        server.start();
    }

    private static String delta(String model, String json, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + json + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    /** The base URL a runner is configured with. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The body of the last request, as the runner sent it. */
    public String lastRequest() {
        return lastRequest.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
