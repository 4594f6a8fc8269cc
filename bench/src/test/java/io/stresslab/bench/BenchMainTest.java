package io.stresslab.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stresslab.core.db.PgSettings;
import org.junit.jupiter.api.Test;

/** Bad input stops the bench before any fork, with one line (main prints it and exits 2). */
class BenchMainTest {
    @Test
    void anUnreachablePostgresqlIsOneLineBeforeAnyFork() {
        System.setProperty(PgSettings.URL_PROPERTY, "jdbc:postgresql://127.0.0.1:1/test");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BenchMain.run(new String[] {"quick", "--db", "postgresql", "--include", "TokenIssue"}));
            assertTrue(e.getMessage().startsWith("cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:1/test: "),
                    e.getMessage());
            assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
        } finally {
            System.clearProperty(PgSettings.URL_PROPERTY);
        }
    }

    @Test
    void anUnknownOptionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BenchMain.run(new String[] {"quick", "--fast"}));
    }
}
