package org.fedai.runner;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What a runner serves, as a node announces it in its capability manifest. */
public record RunnerDescription(String runner, List<ServedModel> models) {

    /** One model and the task types it can do. */
    public record ServedModel(String model, Set<TaskType> tasks) {
        public ServedModel {
            Objects.requireNonNull(model, "model");
            tasks = Set.copyOf(tasks);
        }
    }

    public RunnerDescription {
        Objects.requireNonNull(runner, "runner");
        models = List.copyOf(models);
    }

    public boolean serves(String model, TaskType task) {
        return models.stream().anyMatch(m -> m.model().equals(model) && m.tasks().contains(task));
    }
}
