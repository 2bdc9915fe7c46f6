package org.fedai.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that starts a relay (the embedded one) or a relay pool in this JVM: seconds rather than milliseconds. Tagged {@code relay}, so the fast tier leaves it out:
 * {@code ./mvnw test -DexcludedGroups=relay,processes} (README, "Tests").
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("relay")
public @interface RelayTest {
}
