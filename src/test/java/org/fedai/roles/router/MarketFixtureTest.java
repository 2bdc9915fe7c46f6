package org.fedai.roles.router;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh market (embedded relay, dev wallet, ledger in a temporary folder) around every router test. */
abstract class MarketFixtureTest {

    @TempDir
    Path dir;

    MarketFixture market;

    @BeforeEach
    void openMarket() throws Exception {
        market = new MarketFixture(dir);
    }

    @AfterEach
    void closeMarket() {
        market.close();
    }
}
