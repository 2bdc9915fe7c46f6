package org.fedai.roles.router.machine;

import java.util.List;

/**
 * What one input did to a job: its state afterwards, and the actions that carry it out, every journal write
 * ahead of every effect (the executor performs them in this order, so nothing leaves before it is journalled).
 */
public record Transition(RouterJob job, List<RouterAction> actions) {

    public Transition {
        actions = List.copyOf(actions);
    }

    public <T extends RouterAction> List<T> actionsOf(Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
