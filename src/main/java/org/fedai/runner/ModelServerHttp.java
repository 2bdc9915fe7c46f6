package org.fedai.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.fedai.nostr.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JSON over HTTP to a node's own local model server (llama.cpp, vLLM, Ollama): the only HTTP in
 * fedai, and private to the node. Maps every transport fault onto a {@link FailureReason}.
 */
final class ModelServerHttp {

    /** Largest non-streamed body we read (a big embedding batch fits comfortably). */
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    private static final int MAX_ERROR_DETAIL = 300;

    // One daemon timer for all runners: it only closes streams that outlive their deadline.
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("runner-watchdog").factory());

    /** Sees each line of a streamed body; returns true when the server has said the stream is complete. */
    @FunctionalInterface
    interface LineHandler {
        boolean onLine(String line) throws RunFailedException;
    }

    private final URI base;
    private final String bearer;
    private final Duration timeout;
    private final HttpClient client;

    /** @param bearer API key sent as "Authorization: Bearer", or null for none */
    ModelServerHttp(URI base, String bearer, Duration timeout) {
        this.base = base;
        this.bearer = bearer;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** POSTs {@code body} and parses the JSON answer, which must arrive whole within the request timeout. */
    JsonNode post(String path, JsonNode body) throws RunFailedException {
        HttpResponse<InputStream> response = send(path, body);
        InputStream in = response.body();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> timer = closeAfter(in, timeout, expired);
        try (in) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new RunFailedException(FailureReason.UPSTREAM_PROTOCOL, "response exceeds " + MAX_BODY_BYTES + " bytes");
            }
            return parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (expired.get()) {
                throw new RunFailedException(FailureReason.TIMEOUT, "response body took longer than " + timeout, e);
            }
            throw new RunFailedException(FailureReason.STREAM_INTERRUPTED, "response body cut off: " + e.getMessage(), e);
        } finally {
            timer.cancel(false);
        }
    }

    /**
     * POSTs {@code body} and feeds the answer line by line to {@code handler} until it reports
     * completion. A body that ends first, or a connection that drops, is an interrupted stream; one
     * that runs past the deadline is closed and reported as a timeout.
     */
    void stream(String path, JsonNode body, Duration deadline, LineHandler handler) throws RunFailedException {
        HttpResponse<InputStream> response = send(path, body);
        AtomicBoolean expired = new AtomicBoolean();
        InputStream in = response.body();
        ScheduledFuture<?> timer = closeAfter(in, deadline, expired);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (handler.onLine(line)) {
                    return;
                }
            }
            throw new RunFailedException(FailureReason.STREAM_INTERRUPTED, "stream ended before the server finished");
        } catch (IOException e) {
            if (expired.get()) {
                throw new RunFailedException(FailureReason.TIMEOUT, "stream exceeded " + deadline, e);
            }
            throw new RunFailedException(FailureReason.STREAM_INTERRUPTED, "connection lost mid-stream: " + e.getMessage(), e);
        } finally {
            timer.cancel(false);
        }
    }

    /** Closing the body is the one way to unblock a reader stuck on a silent server. */
    private static ScheduledFuture<?> closeAfter(InputStream in, Duration deadline, AtomicBoolean expired) {
        return WATCHDOG.schedule(() -> {
            expired.set(true);
            closeQuietly(in);
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private HttpResponse<InputStream> send(String path, JsonNode body) throws RunFailedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream, application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new RunFailedException(FailureReason.UPSTREAM_UNAVAILABLE, "cannot reach " + base + ": " + e.getMessage(), e);
        } catch (HttpTimeoutException e) {
            throw new RunFailedException(FailureReason.TIMEOUT, "no answer within " + timeout, e);
        } catch (IOException e) {
            throw new RunFailedException(FailureReason.UPSTREAM_UNAVAILABLE, "request to " + base + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailedException(FailureReason.CANCELLED, "interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String detail = "HTTP " + status + errorMessage(response.body());
            throw new RunFailedException(status / 100 == 4 ? FailureReason.UPSTREAM_REJECTED : FailureReason.UPSTREAM_ERROR, detail);
        }
        return response;
    }

    private URI resolve(String path) {
        String b = base.toString();
        return URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) + path : b + path);
    }

    /** Parses one JSON document from the server; anything else is a protocol fault. */
    static JsonNode parse(String text) throws RunFailedException {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new RunFailedException(FailureReason.UPSTREAM_PROTOCOL, "not JSON: " + abbreviate(text), e);
        }
    }

    /** The error text that OpenAI-style ({"error":{"message":..}}) or Ollama-style ({"error":".."}) bodies carry. */
    static String errorText(JsonNode node) {
        JsonNode error = node.path("error");
        if (error.isTextual()) {
            return abbreviate(error.asText());
        }
        return abbreviate(error.path("message").asText(error.toString()));
    }

    private static String errorMessage(InputStream body) {
        try (body) {
            String text = new String(body.readNBytes(16 * 1024), StandardCharsets.UTF_8);
            try {
                JsonNode node = Json.MAPPER.readTree(text);
                if (node != null && node.has("error")) {
                    return ": " + errorText(node);
                }
            } catch (JsonProcessingException notJson) {
                // plain-text error pages are common (proxies, crashes); show their start
            }
            return text.isBlank() ? "" : ": " + abbreviate(text.strip());
        } catch (IOException e) {
            return "";
        }
    }

    static String abbreviate(String s) {
        return s.length() <= MAX_ERROR_DETAIL ? s : s.substring(0, MAX_ERROR_DETAIL) + "...";
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is how the watchdog unblocks the reader; a failure to close changes nothing
        }
    }
}
