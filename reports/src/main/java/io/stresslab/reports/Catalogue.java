package io.stresslab.reports;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The ten catalogued bugs (shared/BUGS.md) in catalogue order, with their one-line titles and two-sentence
 * mechanisms, read from the {@code catalogue.json} resource. They are the rows of the detection matrix.
 */
public final class Catalogue {
    /** One catalogued bug. */
    public record Bug(String id, String title, String mechanism) {
    }

    private static final List<Bug> BUGS = load();

    private Catalogue() {
    }

    public static List<Bug> bugs() {
        return BUGS;
    }

    public static Optional<Bug> find(String id) {
        return BUGS.stream().filter(b -> b.id().equalsIgnoreCase(id)).findFirst();
    }

    private static List<Bug> load() {
        try (InputStream in = Catalogue.class.getResourceAsStream("catalogue.json")) {
            if (in == null) {
                throw new IllegalStateException("catalogue.json is missing from the reports jar");
            }
            return List.copyOf(new ObjectMapper().readValue(in, new TypeReference<List<Bug>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalogue.json: " + e.getMessage(), e);
        }
    }
}
