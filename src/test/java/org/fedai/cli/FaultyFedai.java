package org.fedai.cli;

import java.io.PrintWriter;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.PaymentBackend;
import org.fedai.roles.client.ClientConfig;
import org.fedai.roles.client.ClientRole;
import org.fedai.roles.fl.Attacks;
import org.fedai.roles.fl.Contribution;
import org.fedai.store.ClientJournal;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code fedai} with faults to inject, for the tests that run it as separate processes: the same command line, whose
 * factory makes test-side subclasses that add the fault options. fedai itself has no such option.
 * <ul>
 *   <li>{@code client submit|resume --crash-after paid}: the JVM halts (as on {@code kill -9}) once the payment is
 *   journaled, before the proof goes out;</li>
 *   <li>{@code fl full --attack signflip|nan|unclipped|vanish}: the full node misbehaves ({@link Attacks}).</li>
 * </ul>
 */
public final class FaultyFedai {

    private FaultyFedai() {
    }

    public static void main(String[] args) {
        System.exit(FedaiCommand.run(args, new Factory()));
    }

    private static final class Factory implements CommandLine.IFactory {
        private final CommandLine.IFactory plain = CommandLine.defaultFactory();

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == ClientCommand.ClientRun.class) {
                return cls.cast(new CrashingClientRun());
            }
            if (cls == FlFullCommand.ContributionChoice.class) {
                return cls.cast(new Attack());
            }
            return plain.create(cls);
        }
    }

    static final class CrashingClientRun extends ClientCommand.ClientRun {
        @Option(names = "--crash-after", description = "paid: halt once the payment is journaled, before the proof.")
        String crashAfter;

        @Override
        ClientRole newClient(ClientConfig config, RelayPool pool, PaymentBackend wallet, ClientJournal journal,
                PrintWriter err) {
            ClientRole client = super.newClient(config, pool, wallet, journal, err);
            if ("paid".equals(crashAfter)) {
                client.onProgress((job, step) -> {
                    if (step.contains("and journaled; proving")) {
                        err.println("crash injected (--crash-after=paid): job " + job + " paid and journaled,"
                                + " proof not sent");
                        err.flush();
                        Runtime.getRuntime().halt(137); // no shutdown hooks, no closing: as a kill -9 would
                    }
                });
            } else if (crashAfter != null) {
                throw new IllegalArgumentException("--crash-after knows only 'paid'");
            }
            return client;
        }
    }

    static final class Attack extends FlFullCommand.ContributionChoice {
        @Option(names = "--attack", defaultValue = "none", description = "none, signflip, nan, unclipped or vanish.")
        String attack;

        @Override
        Contribution contribution() {
            return Attacks.named(attack);
        }
    }
}
