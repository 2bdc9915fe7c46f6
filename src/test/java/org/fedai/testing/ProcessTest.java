package org.fedai.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that starts fedai processes, or the third-party relay installed by test-relays/install.sh: tens of seconds. Tagged {@code processes}, so the fast tier leaves it out:
 * {@code ./mvnw test -DexcludedGroups=relay,processes} (README, "Tests").
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("processes")
public @interface ProcessTest {
}
