package org.fedai.runner;

/**
 * What every runner backed by a model server shares: its configuration and HTTP client, and one way of
 * turning any fault into a typed failure. Subclasses speak their server's wire format for the two tasks.
 */
abstract sealed class ModelServerRunner implements Runner permits OpenAiRunner, OllamaRunner {

    protected final ModelServerConfig config;
    protected final ModelServerHttp http;
    private final String runnerName;

    ModelServerRunner(ModelServerConfig config, String runnerName) {
        this.config = config;
        this.http = new ModelServerHttp(config.baseUrl(), config.apiKey(), config.requestTimeout());
        this.runnerName = runnerName;
    }

    @Override
    public final RunnerDescription describe() {
        return config.describe(runnerName);
    }

    @Override
    public final RunResult run(RunRequest request, StreamSink sink) {
        try {
            config.requireServed(request);
            return request.task() == TaskType.EMBEDDING ? embed(request) : generate(request, sink);
        } catch (RunFailedException e) {
            return e.toFailure();
        } catch (RuntimeException e) {
            return RunResult.failure(FailureReason.INTERNAL, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Text generation (chat or completion), streamed to {@code sink} as it arrives. */
    abstract RunResult generate(RunRequest request, StreamSink sink) throws RunFailedException;

    abstract RunResult embed(RunRequest request) throws RunFailedException;
}
