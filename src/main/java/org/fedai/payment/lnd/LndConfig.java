package org.fedai.payment.lnd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach one LND node over gRPC: its address, the TLS certificate it serves (LND's self-signed
 * {@code tls.cert}, trusted as the only anchor), and the macaroon file that authorises our calls.
 *
 * @param callTimeout      deadline of each unary call (add, lookup, settle, cancel, get info)
 * @param payTimeout       how long LND may search for a route ({@code timeout_seconds}) and we wait for the outcome
 * @param pendingAfter     an HTLC still in flight this long after it left is treated as held by the payee
 *                         (a hold invoice): pay returns Pending instead of waiting for the payee's decision
 * @param feeLimitMsat     most routing fee a payment may cost
 * @param resubscribeAfter first pause before a broken settlement subscription is reopened (doubling up to a minute)
 */
public record LndConfig(String host, int port, Path certFile, Path macaroonFile, Duration callTimeout,
                        Duration payTimeout, Duration pendingAfter, long feeLimitMsat, Duration resubscribeAfter) {

    public LndConfig {
        if (host == null || host.isBlank() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("LND address must be HOST:PORT with a port in 1..65535");
        }
        requireReadable(certFile, "TLS certificate");
        requireReadable(macaroonFile, "macaroon");
        if (!positive(callTimeout) || !positive(payTimeout) || !positive(pendingAfter) || !positive(resubscribeAfter)
                || feeLimitMsat < 0) {
            throw new IllegalArgumentException("LND timeouts must be positive and the fee limit not negative");
        }
        if (payTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("LND's payment timeout is in whole seconds: at least 1 s");
        }
    }

    /** Defaults close to LND's own: 10 s calls, 60 s to pay, 1,000 sat fee limit. */
    public static LndConfig of(String host, int port, Path certFile, Path macaroonFile) {
        return new LndConfig(host, port, certFile, macaroonFile, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(30), 1_000_000, Duration.ofSeconds(1));
    }

    /** Parses {@code HOST:PORT} (IPv6 as {@code [::1]:10009}). */
    public static LndConfig parse(String hostPort, Path certFile, Path macaroonFile) {
        int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("LND address must be HOST:PORT, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("LND port is not a number in '" + hostPort + "'");
        }
        return of(host, port, certFile, macaroonFile);
    }

    public LndConfig withTimeouts(Duration call, Duration pay, Duration pending) {
        return new LndConfig(host, port, certFile, macaroonFile, call, pay, pending, feeLimitMsat, resubscribeAfter);
    }

    public LndConfig withResubscribeAfter(Duration pause) {
        return new LndConfig(host, port, certFile, macaroonFile, callTimeout, payTimeout, pendingAfter, feeLimitMsat,
                pause);
    }

    public String address() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }

    private static void requireReadable(Path file, String what) {
        if (file == null) {
            throw new IllegalArgumentException("the LND " + what + " file is required");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("the LND " + what + " file " + file + " does not exist or is not readable");
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }
}
