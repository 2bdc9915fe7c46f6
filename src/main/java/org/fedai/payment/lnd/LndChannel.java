package org.fedai.payment.lnd;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Hex;
import org.lightningj.lnd.invoices.proto.InvoicesGrpc;
import org.lightningj.lnd.proto.LightningGrpc;
import org.lightningj.lnd.router.proto.RouterGrpc;
import org.lightningj.lnd.wrapper.MacaroonClientInterceptor;

/**
 * One gRPC channel to LND with lightningj's generated stubs for the three services a wallet needs
 * (lnrpc.Lightning, invoicesrpc.Invoices, routerrpc.Router). TLS trusts LND's own certificate and
 * nothing else, as LND's certificate is self-signed; every call carries the macaroon (hex, in the
 * {@code macaroon} metadata header, which lightningj's interceptor adds).
 */
final class LndChannel implements AutoCloseable {

    private final LndConfig config;
    private final ManagedChannel channel;

    private LndChannel(LndConfig config, ManagedChannel channel) {
        this.config = config;
        this.channel = channel;
    }

    /** Reads the certificate and macaroon; no connection is made until the first call. */
    static LndChannel open(LndConfig config) {
        ChannelCredentials tls;
        String macaroonHex;
        try {
            tls = TlsChannelCredentials.newBuilder().trustManager(config.certFile().toFile()).build();
            macaroonHex = Hex.encode(Files.readAllBytes(config.macaroonFile()));
        } catch (IOException | RuntimeException e) {
            throw new LndException("cannot read the LND certificate " + config.certFile() + " or macaroon "
                    + config.macaroonFile() + ": " + e.getMessage(), e);
        }
        if (macaroonHex.isEmpty()) {
            throw new LndException("the LND macaroon file " + config.macaroonFile() + " is empty");
        }
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(config.host(), config.port(), tls)
                .intercept(new MacaroonClientInterceptor(() -> macaroonHex))
                .build();
        return new LndChannel(config, channel);
    }

    LndConfig config() {
        return config;
    }

    /** A stub whose one call must finish within the configured call timeout. */
    LightningGrpc.LightningBlockingStub lightning() {
        return LightningGrpc.newBlockingStub(channel).withDeadlineAfter(config.callTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    LightningGrpc.LightningStub lightningStreams() {
        return LightningGrpc.newStub(channel);
    }

    InvoicesGrpc.InvoicesBlockingStub invoices() {
        return InvoicesGrpc.newBlockingStub(channel).withDeadlineAfter(config.callTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    RouterGrpc.RouterStub routerStreams() {
        return RouterGrpc.newStub(channel);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
