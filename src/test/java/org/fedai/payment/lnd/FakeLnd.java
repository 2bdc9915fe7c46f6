package org.fedai.payment.lnd;

import com.google.protobuf.ByteString;
import fr.acinq.secp256k1.Secp256k1;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Secp256k1Keys;
import org.fedai.nostr.Sha256;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.Bolt11Invoice;
import org.fedai.payment.Bolt11Network;
import org.fedai.payment.TaggedField;
import org.lightningj.lnd.invoices.proto.InvoicesGrpc;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.AddHoldInvoiceRequest;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.AddHoldInvoiceResp;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.CancelInvoiceMsg;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.CancelInvoiceResp;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.SettleInvoiceMsg;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.SettleInvoiceResp;
import org.lightningj.lnd.proto.LightningApi.AddInvoiceResponse;
import org.lightningj.lnd.proto.LightningApi.Chain;
import org.lightningj.lnd.proto.LightningApi.GetInfoRequest;
import org.lightningj.lnd.proto.LightningApi.GetInfoResponse;
import org.lightningj.lnd.proto.LightningApi.HTLCAttempt;
import org.lightningj.lnd.proto.LightningApi.Invoice;
import org.lightningj.lnd.proto.LightningApi.InvoiceSubscription;
import org.lightningj.lnd.proto.LightningApi.Payment;
import org.lightningj.lnd.proto.LightningApi.PaymentFailureReason;
import org.lightningj.lnd.proto.LightningApi.PaymentHash;
import org.lightningj.lnd.proto.LightningGrpc;
import org.lightningj.lnd.router.proto.RouterGrpc;
import org.lightningj.lnd.router.proto.RouterOuterClass.SendPaymentRequest;
import org.lightningj.lnd.router.proto.RouterOuterClass.TrackPaymentRequest;

/**
 * An LND as its gRPC clients see it, built on lightningj's generated service bases and served over TLS
 * with a macaroon check, answering with LND's wire format, status codes and error texts. Its invoices
 * are real regtest BOLT #11 signed by its own node key, its preimages real; the nodes it pays are
 * "remote" invoices the test registers, signed by another key, settled, held or unroutable on demand.
 */
public final class FakeLnd implements AutoCloseable {

    /** How a remote payee treats our payment. */
    public enum Remote { SETTLES, HOLDS, NO_ROUTE, SETTLES_BUT_ANSWER_LOST }

    /** One of our invoices, as LND's invoice registry keeps it. */
    private static final class Inv {
        Invoice invoice;

        Inv(Invoice invoice) {
            this.invoice = invoice;
        }
    }

    private record Payee(byte[] preimage, Remote behaviour) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Secp256k1 SECP = Secp256k1.Companion.get();

    final byte[] nodeSecret = Secp256k1Keys.generateSecretKey();
    public final String nodeId = Hex.encode(SECP.pubKeyCompress(SECP.pubkeyCreate(nodeSecret)));
    private final byte[] remoteSecret = Secp256k1Keys.generateSecretKey();
    public final Path macaroonFile;
    public final SelfSignedCert cert;
    private volatile String macaroonHex;
    private final Server server;
    private final int port;
    private final Map<String, Inv> invoices = new ConcurrentHashMap<>();
    private final Map<String, Payee> payees = new ConcurrentHashMap<>();
    private final Map<String, Payment> payments = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, List<StreamObserver<Payment>>> paymentWatchers = new ConcurrentHashMap<>();
    private final List<StreamObserver<Invoice>> invoiceWatchers = new CopyOnWriteArrayList<>();
    private long settleIndex;
    private long addIndex;

    public FakeLnd(Path dir) throws Exception {
        cert = SelfSignedCert.write(dir, "lnd");
        byte[] macaroon = new byte[64];
        RANDOM.nextBytes(macaroon);
        macaroonHex = Hex.encode(macaroon);
        macaroonFile = Files.write(dir.resolve("admin.macaroon"), macaroon);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                        TlsServerCredentials.create(cert.certFile().toFile(), cert.keyFile().toFile()))
                .addService(new Lightning()).addService(new Invoices()).addService(new Router())
                .intercept(new MacaroonCheck()).build().start();
        port = server.getPort();
    }

    public int port() {
        return port;
    }

    LndConfig config() {
        return LndConfig.of("127.0.0.1", port(), cert.certFile(), macaroonFile);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** The macaroon we were given stops verifying, as when its root key is rotated. */
    void rotateMacaroon() {
        macaroonHex = Hex.encode(random32());
    }

    /** SendPaymentV2 calls received: a payment must be sent once, whatever happened to the answer. */
    int sendPaymentCalls() {
        return sends.get();
    }

    int invoiceSubscribers() {
        return invoiceWatchers.size();
    }

    /** Drops every open stream, as an LND restart does. */
    void dropStreams() {
        invoiceWatchers.forEach(w -> w.onError(Status.UNAVAILABLE.withDescription("lnd restarting").asRuntimeException()));
        invoiceWatchers.clear();
    }

    // ---- what the world outside does: pay our invoices, issue invoices we pay ----

    /** Someone pays our invoice: a hold invoice becomes ACCEPTED, a plain one SETTLED (and is announced). */
    synchronized void payIncoming(byte[] hash, long msat) {
        Inv inv = invoices.get(Hex.encode(hash));
        Invoice.Builder b = inv.invoice.toBuilder().setAmtPaidMsat(msat).setAmtPaidSat(msat / 1000);
        inv.invoice = inv.invoice.getRPreimage().isEmpty() ? b.setState(Invoice.InvoiceState.ACCEPTED).build()
                : settled(b);
        if (inv.invoice.getState() == Invoice.InvoiceState.SETTLED) {
            invoiceWatchers.forEach(w -> w.onNext(inv.invoice));
        }
    }

    private Invoice settled(Invoice.Builder b) {
        return b.setState(Invoice.InvoiceState.SETTLED).setSettled(true).setSettleIndex(++settleIndex)
                .setSettleDate(System.currentTimeMillis() / 1000).build();
    }

    /** An invoice of another node, with the preimage that node will reveal when paid. */
    public String remoteInvoice(long msat, Remote behaviour) {
        byte[] preimage = random32();
        Bolt11Invoice invoice = sign(remoteSecret, OptionalLong.of(msat), Sha256.hash(preimage),
                new TaggedField.Description("remote"), 600);
        payees.put(invoice.paymentHashHex(), new Payee(preimage, behaviour));
        return invoice.encode();
    }

    /** The remote payee of a held payment settles it: the payer's stream reports SUCCEEDED. */
    void releaseHeld(byte[] hash) {
        String key = Hex.encode(hash);
        Payment done = payments.get(key).toBuilder().setStatus(Payment.PaymentStatus.SUCCEEDED)
                .setPaymentPreimage(Hex.encode(payees.get(key).preimage())).setHtlcs(0, htlc(HTLCAttempt.HTLCStatus.SUCCEEDED))
                .build();
        payments.put(key, done);
        // a payer that stopped watching (pay returned Pending) has cancelled its stream: skip it, as LND does
        paymentWatchers.getOrDefault(key, List.of()).stream()
                .filter(w -> !((io.grpc.stub.ServerCallStreamObserver<Payment>) w).isCancelled()).forEach(w -> {
                    try {
                        w.onNext(done);
                        w.onCompleted();
                    } catch (io.grpc.StatusRuntimeException cancelledMeanwhile) {
                        // the payer cancelled between the check and the send: nobody is listening, as above
                    }
                });
    }

    private static Bolt11Invoice sign(byte[] secret, OptionalLong msat, byte[] hash, TaggedField description,
                                      long expiry) {
        List<TaggedField> fields = List.of(new TaggedField.PaymentHash(hash), new TaggedField.PaymentSecret(random32()),
                description, new TaggedField.Expiry(expiry), TaggedField.Features.of(8, 14));
        return Bolt11Codec.sign(Bolt11Network.REGTEST, msat, System.currentTimeMillis() / 1000, fields, secret);
    }

    private static byte[] random32() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    private static HTLCAttempt htlc(HTLCAttempt.HTLCStatus status) {
        return HTLCAttempt.newBuilder().setAttemptId(1).setStatus(status).build();
    }

    // ---- the services ----

    /** LND checks the macaroon before any handler runs, and answers a bad one with status UNKNOWN and this text. */
    private final class MacaroonCheck implements ServerInterceptor {
        private final Metadata.Key<String> key = Metadata.Key.of("macaroon", Metadata.ASCII_STRING_MARSHALLER);

        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                          ServerCallHandler<Q, A> next) {
            String given = headers.get(key);
            if (given == null || !given.equals(macaroonHex)) {
                call.close(Status.UNKNOWN.withDescription(given == null ? "expected 1 macaroon, got 0"
                        : "verification failed: signature mismatch after caveat verification"), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            return next.startCall(call, headers);
        }
    }

    private synchronized Inv add(byte[] hash, byte[] preimage, Invoice request) {
        String key = Hex.encode(hash);
        if (invoices.containsKey(key)) {
            return null;
        }
        long msat = request.getValueMsat() > 0 ? request.getValueMsat() : request.getValue() * 1000;
        long expiry = request.getExpiry() > 0 ? request.getExpiry() : 86_400;
        TaggedField description = request.getDescriptionHash().isEmpty() ? new TaggedField.Description(request.getMemo())
                : new TaggedField.DescriptionHash(request.getDescriptionHash().toByteArray());
        Bolt11Invoice signed = sign(nodeSecret, msat > 0 ? OptionalLong.of(msat) : OptionalLong.empty(), hash,
                description, expiry);
        Invoice.Builder b = request.toBuilder().setRHash(ByteString.copyFrom(hash)).setValueMsat(msat)
                .setValue(msat / 1000).setExpiry(expiry).setCreationDate(signed.timestamp())
                .setPaymentRequest(signed.encode()).setAddIndex(++addIndex).setState(Invoice.InvoiceState.OPEN);
        if (preimage != null) {
            b.setRPreimage(ByteString.copyFrom(preimage));
        }
        Inv inv = new Inv(b.build());
        invoices.put(key, inv);
        return inv;
    }

    private static <T> void fail(StreamObserver<T> out, Status status, String text) {
        out.onError(status.withDescription(text).asRuntimeException());
    }

    private static <T> void reply(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }

    private final class Lightning extends LightningGrpc.LightningImplBase {
        @Override
        public void getInfo(GetInfoRequest request, StreamObserver<GetInfoResponse> out) {
            reply(out, GetInfoResponse.newBuilder().setIdentityPubkey(nodeId).setAlias("fake-lnd").setVersion("0.17.0-beta")
                    .addChains(Chain.newBuilder().setChain("bitcoin").setNetwork("regtest")).setSyncedToChain(true)
                    .build());
        }

        @Override
        public void addInvoice(Invoice request, StreamObserver<AddInvoiceResponse> out) {
            byte[] preimage = request.getRPreimage().isEmpty() ? random32() : request.getRPreimage().toByteArray();
            Inv inv = add(Sha256.hash(preimage), preimage, request);
            if (inv == null) {
                fail(out, Status.UNKNOWN, "invoice with payment hash already exists");
                return;
            }
            reply(out, AddInvoiceResponse.newBuilder().setRHash(inv.invoice.getRHash())
                    .setPaymentRequest(inv.invoice.getPaymentRequest()).setAddIndex(inv.invoice.getAddIndex()).build());
        }

        @Override
        public void lookupInvoice(PaymentHash request, StreamObserver<Invoice> out) {
            Inv inv = invoices.get(Hex.encode(request.getRHash().toByteArray()));
            if (inv == null) {
                fail(out, Status.NOT_FOUND, "unable to locate invoice");
            } else {
                reply(out, inv.invoice);
            }
        }

        @Override
        public void subscribeInvoices(InvoiceSubscription request, StreamObserver<Invoice> out) {
            synchronized (FakeLnd.this) {
                if (request.getSettleIndex() > 0) { // LND replays every settlement after the index given
                    invoices.values().stream().map(i -> i.invoice)
                            .filter(i -> i.getSettleIndex() > request.getSettleIndex())
                            .sorted(java.util.Comparator.comparingLong(Invoice::getSettleIndex)).forEach(out::onNext);
                }
                invoiceWatchers.add(out);
            }
        }
    }

    private final class Invoices extends InvoicesGrpc.InvoicesImplBase {
        @Override
        public void addHoldInvoice(AddHoldInvoiceRequest r, StreamObserver<AddHoldInvoiceResp> out) {
            Inv inv = add(r.getHash().toByteArray(), null, Invoice.newBuilder().setMemo(r.getMemo())
                    .setDescriptionHash(r.getDescriptionHash()).setValue(r.getValue()).setValueMsat(r.getValueMsat())
                    .setExpiry(r.getExpiry()).build());
            if (inv == null) {
                fail(out, Status.UNKNOWN, "invoice with payment hash already exists");
                return;
            }
            reply(out, AddHoldInvoiceResp.newBuilder().setPaymentRequest(inv.invoice.getPaymentRequest())
                    .setAddIndex(inv.invoice.getAddIndex()).build());
        }

        @Override
        public void settleInvoice(SettleInvoiceMsg r, StreamObserver<SettleInvoiceResp> out) {
            synchronized (FakeLnd.this) {
                Inv inv = invoices.get(Hex.encode(Sha256.hash(r.getPreimage().toByteArray())));
                if (inv == null) {
                    fail(out, Status.UNKNOWN, "unable to locate invoice");
                    return;
                }
                switch (inv.invoice.getState()) {
                    case OPEN -> fail(out, Status.UNKNOWN, "invoice still open");
                    case CANCELED -> fail(out, Status.UNKNOWN, "invoice already canceled");
                    case ACCEPTED -> {
                        inv.invoice = settled(inv.invoice.toBuilder().setRPreimage(r.getPreimage()));
                        invoiceWatchers.forEach(w -> w.onNext(inv.invoice));
                        reply(out, SettleInvoiceResp.getDefaultInstance());
                    }
                    default -> reply(out, SettleInvoiceResp.getDefaultInstance()); // settling twice is not an error
                }
            }
        }

        @Override
        public void cancelInvoice(CancelInvoiceMsg r, StreamObserver<CancelInvoiceResp> out) {
            synchronized (FakeLnd.this) {
                Inv inv = invoices.get(Hex.encode(r.getPaymentHash().toByteArray()));
                if (inv == null) {
                    fail(out, Status.UNKNOWN, "unable to locate invoice");
                } else if (inv.invoice.getState() == Invoice.InvoiceState.SETTLED) {
                    fail(out, Status.UNKNOWN, "invoice already settled");
                } else {
                    inv.invoice = inv.invoice.toBuilder().setState(Invoice.InvoiceState.CANCELED).build();
                    reply(out, CancelInvoiceResp.getDefaultInstance());
                }
            }
        }
    }

    private final class Router extends RouterGrpc.RouterImplBase {
        @Override
        public void sendPaymentV2(SendPaymentRequest r, StreamObserver<Payment> out) {
            sends.incrementAndGet();
            Bolt11Invoice invoice = Bolt11Codec.decode(r.getPaymentRequest());
            String key = invoice.paymentHashHex();
            Payment before = payments.get(key);
            if (before != null && before.getStatus() == Payment.PaymentStatus.SUCCEEDED) {
                fail(out, Status.UNKNOWN, "invoice is already paid");
                return;
            }
            if (before != null && before.getStatus() == Payment.PaymentStatus.IN_FLIGHT) {
                fail(out, Status.UNKNOWN, "payment is in transition");
                return;
            }
            Payee payee = payees.get(key);
            Payment.Builder p = Payment.newBuilder().setPaymentHash(key).setPaymentRequest(r.getPaymentRequest())
                    .setValueMsat(invoice.amountMsat().orElse(r.getAmtMsat())).setPaymentIndex(payments.size() + 1)
                    .setCreationTimeNs(System.nanoTime()).setStatus(Payment.PaymentStatus.IN_FLIGHT);
            out.onNext(p.build());
            if (payee == null || payee.behaviour() == Remote.NO_ROUTE) {
                Payment failed = p.setStatus(Payment.PaymentStatus.FAILED).setFailureReason(payee == null
                        ? PaymentFailureReason.FAILURE_REASON_INCORRECT_PAYMENT_DETAILS
                        : PaymentFailureReason.FAILURE_REASON_NO_ROUTE).build();
                payments.put(key, failed);
                reply(out, failed);
                return;
            }
            Payment inFlight = p.addHtlcs(htlc(HTLCAttempt.HTLCStatus.IN_FLIGHT)).build();
            payments.put(key, inFlight);
            out.onNext(inFlight);
            if (payee.behaviour() == Remote.HOLDS) {
                paymentWatchers.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(out);
                return;
            }
            Payment done = inFlight.toBuilder().setStatus(Payment.PaymentStatus.SUCCEEDED)
                    .setPaymentPreimage(Hex.encode(payee.preimage())).setHtlcs(0, htlc(HTLCAttempt.HTLCStatus.SUCCEEDED))
                    .build();
            payments.put(key, done);
            if (payee.behaviour() == Remote.SETTLES_BUT_ANSWER_LOST) {
                // paid, but the connection drops before the payer hears it
                fail(out, Status.UNAVAILABLE, "connection reset by peer");
                return;
            }
            reply(out, done);
        }

        @Override
        public void trackPaymentV2(TrackPaymentRequest r, StreamObserver<Payment> out) {
            String key = Hex.encode(r.getPaymentHash().toByteArray());
            Payment p = payments.get(key);
            if (p == null) {
                fail(out, Status.NOT_FOUND, "payment isn't initiated");
                return;
            }
            out.onNext(p);
            if (p.getStatus() == Payment.PaymentStatus.IN_FLIGHT) {
                paymentWatchers.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(out);
            } else {
                out.onCompleted();
            }
        }
    }
}
