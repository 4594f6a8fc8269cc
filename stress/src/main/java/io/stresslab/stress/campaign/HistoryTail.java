package io.stresslab.stress.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.stresslab.stress.history.HistoryEvent;
import io.stresslab.stress.history.HistoryFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a campaign's worker history files while the workers still write them: per file the byte offset read so far
 * and the bytes of a partial last line (kept until its newline arrives). {@link #poll} hands every complete new line,
 * parsed to a {@link HistoryEvent}, to the consumer, file by file, each file's events in file order. A file that does
 * not exist yet reads as empty. A line that is not an event is corruption ({@link HistoryFormatException}), except a
 * torn last line of a file whose worker has ended ({@link #finish} drops it, as {@link
 * io.stresslab.stress.history.History#merge} does).
 */
public final class HistoryTail implements AutoCloseable {
    private static final ObjectReader EVENTS = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).readerFor(HistoryEvent.class);
    private static final int CHUNK = 1 << 16;

    private final List<Tail> tails = new ArrayList<>();
    private final ByteBuffer buf = ByteBuffer.allocate(CHUNK);

    private static final class Tail {
        final Path file;
        FileChannel channel;
        long offset;
        long lines;
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Tail(Path file) {
            this.file = file;
        }
    }

    public HistoryTail(List<Path> files) {
        files.forEach(f -> tails.add(new Tail(f)));
    }

    public int files() {
        return tails.size();
    }

    /** Reads every file's new complete lines; returns how many events were handed on. */
    public long poll(Consumer<HistoryEvent> sink) {
        long n = 0;
        for (int i = 0; i < tails.size(); i++) {
            n += poll(i, sink);
        }
        return n;
    }

    /** Reads file {@code index}'s new complete lines; returns how many events were handed on. */
    public long poll(int index, Consumer<HistoryEvent> sink) {
        Tail t = tails.get(index);
        long n = 0;
        try {
            if (t.channel == null) {
                try {
                    t.channel = FileChannel.open(t.file, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    return 0; // not created yet
                }
            }
            while (true) {
                buf.clear();
                int read = t.channel.read(buf, t.offset);
                if (read <= 0) {
                    return n;
                }
                t.offset += read;
                byte[] a = buf.array();
                int start = 0;
                for (int j = 0; j < read; j++) {
                    if (a[j] == '\n') {
                        byte[] line;
                        if (t.partial.size() > 0) {
                            t.partial.write(a, start, j - start);
                            line = t.partial.toByteArray();
                            t.partial.reset();
                        } else {
                            line = java.util.Arrays.copyOfRange(a, start, j);
                        }
                        start = j + 1;
                        t.lines++;
                        if (line.length > 0) {
                            sink.accept(parse(t, line));
                            n++;
                        }
                    }
                }
                t.partial.write(a, start, read - start);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read history " + t.file + ": " + e.getMessage(), e);
        }
    }

    /**
     * File {@code index}'s writer has ended: reads the rest and drops a torn last line (a worker killed mid-write).
     * Returns how many events were handed on.
     */
    public long finish(int index, Consumer<HistoryEvent> sink) {
        long n = poll(index, sink);
        Tail t = tails.get(index);
        if (t.partial.size() > 0) {
            byte[] rest = t.partial.toByteArray();
            t.partial.reset();
            try {
                sink.accept(EVENTS.readValue(rest));
                n++;
            } catch (IOException torn) {
                // the torn last line of a killed worker: dropped
            }
        }
        return n;
    }

    /** Bytes of file {@code index} read so far (complete lines and a pending partial line). */
    public long offset(int index) {
        return tails.get(index).offset;
    }

    /** Bytes of a partial last line of file {@code index} held for the next poll. */
    public int pendingBytes(int index) {
        return tails.get(index).partial.size();
    }

    private static HistoryEvent parse(Tail t, byte[] line) {
        try {
            HistoryEvent e = EVENTS.readValue(line);
            if (e.type() == null) {
                throw new HistoryFormatException(t.file + ":" + t.lines, "needs a \"type\"");
            }
            return e;
        } catch (JsonProcessingException e) {
            throw new HistoryFormatException(t.file + ":" + t.lines, "corrupt line " + t.lines + ": "
                    + new String(line, 0, Math.min(line.length, 80), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Tail t : tails) {
            if (t.channel != null) {
                try {
                    t.channel.close();
                } catch (IOException ignored) {
                    // read-only channel of a finished campaign
                }
            }
        }
    }
}
