package io.stresslab.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one catalogue of the ten bugs (shared/BUGS.md): each bug's id, title, mechanism and the names of its variants,
 * read from {@code catalogue.json} beside this class. Checks, benchmarks, the ratio tables, the report and README take
 * their names from here; a name that is not here is refused ({@link #variant}).
 */
public final class Catalogue {
    /** Which side of the fix a variant is on. */
    public enum Side {
        /** Faithful to the incident: its checks must observe the bug. */
        BEFORE,
        /** The fix: its checks must not observe the bug. */
        AFTER;

        @com.fasterxml.jackson.annotation.JsonCreator
        static Side of(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** One implementation of a bug's contract that stresslab ships. */
    public record Variant(String name, Side side, String implementation) {
    }

    /** One catalogued bug. */
    public record Bug(String id, String title, String mechanism, List<Variant> variants) {
        public Bug {
            variants = List.copyOf(variants);
        }

        /** The variant named {@code name}; fails with one line naming the known ones. */
        public Variant variant(String name) {
            return variants.stream().filter(v -> v.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown variant '" + name + "' of " + id
                            + "; known: " + variants.stream().map(Variant::name).toList()));
        }
    }

    private static final List<Bug> BUGS = load();

    private Catalogue() {
    }

    /** The ten bugs in catalogue order. */
    public static List<Bug> bugs() {
        return BUGS;
    }

    public static Optional<Bug> find(String id) {
        return BUGS.stream().filter(b -> b.id().equalsIgnoreCase(id)).findFirst();
    }

    /** The bug with this id; fails with one line naming the known ones. */
    public static Bug bug(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown bug '" + id + "'; known: "
                + BUGS.stream().map(Bug::id).toList()));
    }

    /** The variant {@code name} of bug {@code id}; fails on a name the catalogue does not have. */
    public static Variant variant(String id, String name) {
        return bug(id).variant(name);
    }

    private static List<Bug> load() {
        try (InputStream in = Catalogue.class.getResourceAsStream("catalogue.json")) {
            if (in == null) {
                throw new IllegalStateException("catalogue.json is missing from the core jar");
            }
            return List.copyOf(new ObjectMapper().readValue(in, new TypeReference<List<Bug>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalogue.json: " + e.getMessage(), e);
        }
    }
}
