package io.stresslab.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stresslab.core.db.PgSettings;
import java.util.List;
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

    @Test
    void badRoundOptionsAreRefused() {
        for (String[] bad : List.of(new String[] {"full", "--precision", "0"}, new String[] {"full", "--precision",
                "ten"}, new String[] {"full", "--max-forks", "-1"}, new String[] {"full", "--forks", "0"})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchMain.run(bad));
            assertTrue(e.getMessage().startsWith(bad[1] + " needs"), e.getMessage());
        }
    }

    @Test
    void fullRefinesNoisyConfigurationsAndTheOthersRunAFixedNumberOfRounds() {
        BenchMain.Preset full = BenchMain.PRESETS.get("full");
        assertTrue(full.forks() >= 5 && full.maxForks() > full.forks() && full.precision() == 0.10, full.toString());
        BenchMain.Preset shortRun = BenchMain.PRESETS.get("short");
        assertTrue(shortRun.maxForks() == shortRun.forks(), shortRun.toString());
        // a maximum below the minimum is raised to it
        assertTrue(full.rounds(8, 3).maxForks() == 8);
    }
}
