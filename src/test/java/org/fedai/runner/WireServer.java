package org.fedai.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-test model server on 127.0.0.1 that answers each path with a scripted wire response and
 * records every request it receives, so contract tests can check both directions of the wire.
 */
final class WireServer implements AutoCloseable {

    /** A request as it arrived: the runner's side of the contract. */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** How to answer. {@code parts} are written and flushed one at a time, as a streaming server would. */
    record Reply(int status, String contentType, List<String> parts, boolean dropConnection, boolean stall) {
        static Reply json(int status, String body) {
            return new Reply(status, "application/json", List.of(body), false, false);
        }

        static Reply stream(String contentType, List<String> parts) {
            return new Reply(200, contentType, parts, false, false);
        }

        /** Announces a longer body than it sends, then closes: the client sees the connection drop mid-body. */
        static Reply dropAfter(String contentType, List<String> parts) {
            return new Reply(200, contentType, parts, true, false);
        }

        /** Sends the parts, then goes silent with the connection open until the server closes. */
        static Reply stallAfter(String contentType, List<String> parts) {
            return new Reply(200, contentType, parts, false, true);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Map<String, Reply> replies = Map.of();

    WireServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    void reply(String path, Reply reply) {
        replies = Map.of(path, reply);
    }

    String baseUrl(String prefix) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    Received take() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the runner sent no request");
        }
        return r;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        Reply reply = replies.get(exchange.getRequestURI().getPath());
        if (reply == null) {
            reply = Reply.json(404, "{\"error\":\"no such path\"}");
        }
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        byte[][] parts = reply.parts().stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        long length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        // 0 = chunked transfer, as streaming servers send; a fixed length lets us promise more than we send.
        exchange.sendResponseHeaders(reply.status(), reply.dropConnection() ? length + 4096 : 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (byte[] p : parts) {
                out.write(p);
                out.flush();
            }
            if (reply.stall()) {
                closing.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                exchange.close();
            } catch (RuntimeException shortBody) {
                // the JDK server objects to a body shorter than announced; that is the point of dropAfter
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
