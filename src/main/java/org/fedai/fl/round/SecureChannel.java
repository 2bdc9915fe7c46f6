package org.fedai.fl.round;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.fl.Rejection;
import org.fedai.fl.secagg.SecAggMessage.EncryptedShare;
import org.fedai.fl.secagg.SecAggMessage.EnrollmentKeys;
import org.fedai.fl.secagg.SecAggMessage.UnmaskRequest;
import org.fedai.fl.secagg.SecAggMessage.UnmaskResponse;
import org.fedai.fl.secagg.SecAggServer;

/**
 * How the aggregator's side of a secure round reaches the members, one method per phase; each call returns
 * what arrived by the phase's end. In process the members are objects behind a transport
 * ({@code fl.sim.TransportChannel}); across processes they are other roles behind a relay
 * ({@code roles.fl.RelayChannel}), where a phase ends when everything expected came or its deadline passed.
 * What to do with what arrived is {@link SecureRoundDriver}'s, so both ways run the same protocol.
 */
public interface SecureChannel {

    /** ENROLL: the group's members' round keys as the aggregator holds them; a member missing here never enrolled. */
    List<EnrollmentKeys> enrollments(SecureRoundDriver.Group group);

    /** SHARE: each sender's whole batch of encrypted shares (one per neighbour); incomplete batches are left out. */
    Map<String, List<EncryptedShare>> shares(List<SecureRoundDriver.Group> groups, Map<String, List<EnrollmentKeys>> enrolled);

    /** FORWARD: each addressee's shares, sealed to it. */
    void forward(Map<String, List<EncryptedShare>> byAddressee);

    /** MASK: the masked inputs (32-bit words) that arrived, by sender; {@code expected} is who shared keys. */
    Map<String, int[]> masked(int round, Set<String> expected);

    /** UNMASK: each group's request out, the survivors' answers back. */
    List<UnmaskResponse> unmask(Map<String, UnmaskRequest> requests);

    /** The secrets each summed group's unmasking used, published so anyone can recompute the sum. */
    void reveal(Map<String, SecAggServer.Reveal> reveals);

    /** A message the protocol refused (a bad batch, a second input, a non-survivor's answer). */
    default void refused(Rejection rejection) {
    }
}
