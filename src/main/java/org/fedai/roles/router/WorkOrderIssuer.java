package org.fedai.roles.router;

import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;

/**
 * Sends a 4404 work order, journal first: the order is kept as claim evidence and recorded with the debt it opens
 * (every authorization but {@code paid}, {@code partial} and {@code free}) before it is published.
 */
final class WorkOrderIssuer {

    private final RouterRole role;
    private final RouterLedger ledger;

    WorkOrderIssuer(RouterRole role) {
        this.role = role;
        this.ledger = role.ledger;
    }

    void send(RouterQuoteRow quote, WorkOrder.Authorization authorization, List<String> hashes) {
        long now = role.nowSeconds();
        WorkOrder order = new WorkOrder(quote.jobId(), quote.quoteId(), quote.client(), authorization, hashes,
                quote.deliverBy());
        Event event = role.sign(PaymentCodecs.encodeWorkOrder(order, role.config.keys(), quote.node(), now));
        RouterLedger.Debt debt = authorization != WorkOrder.Authorization.PAID
                && authorization != WorkOrder.Authorization.PARTIAL // partial runs nothing unpaid: no debt
                && authorization != WorkOrder.Authorization.FREE
                ? new RouterLedger.Debt(quote.jobId(), quote.client(), quote.nodePriceMsat() + quote.feeMsat(), now, 0)
                : null;
        ledger.keepEvidence(quote.jobId(), event.id(), EventJson.toJson(event));
        role.misrepresentation.ordered(quote.jobId());
        ledger.recordWorkOrder(new RouterLedger.WorkOrderRow(quote.jobId(), quote.quoteId(), quote.node(), event.id(),
                authorization.code()), now, debt);
        role.publish(event);
        role.activity.increment("4404:" + authorization.code());
    }
}
