package io.stresslab.stress.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Writes and reads {@link CheckRecord}s as one pretty-printed JSON file each. */
public final class ResultsWriter {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Path dir;

    public ResultsWriter(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public static ObjectMapper json() {
        return JSON;
    }

    /** Writes atomically (temp file, then move) so a reader never sees half a record. */
    public Path write(CheckRecord record) {
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(record.fileName());
            Path tmp = Files.createTempFile(dir, ".record", ".tmp");
            JSON.writeValue(tmp.toFile(), record);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write record to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads every record in {@code dir} (none if it does not exist). */
    public static List<CheckRecord> readAll(Path dir) {
        List<CheckRecord> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                out.add(JSON.readValue(p.toFile(), CheckRecord.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read records from " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
