package org.fedai.roles.router.machine;

import java.util.List;
import org.fedai.store.Durability;

/**
 * What one input did to a job: its state afterwards, and the actions that carry it out, every journal write
 * ahead of every effect (the executor performs them in this order, so nothing leaves before it is journalled).
 * {@code durability}: how the writes, and the events they publish, are committed together (relaxed only when
 * every write is, as a free job's are).
 */
public record Transition(RouterJob job, List<RouterAction> actions, Durability durability) {

    public Transition {
        actions = List.copyOf(actions);
    }

    public <T extends RouterAction> List<T> actionsOf(Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
