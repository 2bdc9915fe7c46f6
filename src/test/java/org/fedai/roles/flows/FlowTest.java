package org.fedai.roles.flows;

import java.nio.file.Path;
import org.fedai.runner.EmbeddedRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** What the flow tests share: one real MiniLM model per test class (loading it takes seconds), and a temp dir. */
abstract class FlowTest {

    static EmbeddedRunner model;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadModel() {
        model = new EmbeddedRunner();
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }
}
