package io.stresslab.stress.campaign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A class-data-sharing archive for worker JVMs, built once and then mapped by every later worker so it skips most of
 * class loading and verification (AppCDS, JDK 13+ dynamic archives).
 *
 * <p>The first campaign that finds no archive starts its workers with {@code -XX:ArchiveClassesAtExit}: each worker
 * that exits normally writes the classes it loaded (the JDK's, Jackson, the JDBC driver and pool, the harness, the
 * workload) to its own file; after the campaign the first one written becomes the archive (a worker killed by a fault
 * writes nothing). Every later worker starts with {@code -XX:SharedArchiveFile}. The archive's name carries a hash of
 * the class path, the Java runtime and the worker JVM options, so another build or JDK never maps a stale one; the JVM
 * also validates it and simply starts without it on any mismatch. The coordinator itself runs with
 * {@code -Xshare:off} (Lincheck appends to the boot class path); workers never run Lincheck, so they can share.
 *
 * <p>The JVM archives classes from jar files only. When the class path has directories (the build's tests run from
 * {@code target/classes} and {@code target/test-classes}), {@link #classPath} packs each directory into a jar once
 * per coordinator JVM, and the workers start from those jars instead. System property
 * {@code stresslab.worker.cds=false} turns all of it off (to measure the launch without it).
 */
public final class WorkerCds {
    public static final String PROPERTY = "stresslab.worker.cds";
    private static final Object LOCK = new Object();
    private static boolean training;
    /** The class path last packed ({@link #classPath}), what it became, and the jars written for it. */
    private static String packedFrom;
    private static String packed;
    private static final List<Path> packedJars = new ArrayList<>();

    private WorkerCds() {
    }

    /**
     * The workers' class path: this JVM's, with every directory on it packed into a jar under {@code workDir}
     * ({@code cds/classes-<pid>-<n>.jar}, written once per JVM and reused by later campaigns while it exists) so the
     * workers can share an archive. Unchanged when CDS is off or the class path has no directory; on any failure to
     * pack, the original class path (workers start without sharing).
     */
    static String classPath(Path workDir) {
        String cp = System.getProperty("java.class.path");
        if (!enabled() || cp == null || cp.isBlank()) {
            return cp;
        }
        synchronized (LOCK) {
            if (cp.equals(packedFrom) && packedJars.stream().allMatch(Files::isRegularFile)) {
                return packed; // still there (a test's temporary work folder may have gone since)
            }
            packedJars.clear();
            List<String> out = new ArrayList<>();
            try {
                Path dir = Files.createDirectories(workDir.toAbsolutePath().resolve("cds"));
                int n = 0;
                for (String e : cp.split(java.io.File.pathSeparator)) {
                    if (!e.isBlank() && Files.isDirectory(Path.of(e))) {
                        Path jar = dir.resolve("classes-" + ProcessHandle.current().pid() + "-" + n++ + ".jar");
                        pack(Path.of(e), jar);
                        packedJars.add(jar);
                        out.add(jar.toString());
                    } else {
                        out.add(e);
                    }
                }
                packed = String.join(java.io.File.pathSeparator, out);
            } catch (IOException | java.io.UncheckedIOException e) {
                packed = cp;
            }
            packedFrom = cp;
            return packed;
        }
    }

    /**
     * Writes every folder and file under {@code dir} into {@code jar}, entries named by their relative path. Folder
     * entries matter: {@code ClassLoader.getResources("db/migration")} (Flyway's scan) finds a folder of a jar only
     * through its entry.
     */
    private static void pack(Path dir, Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(tmp));
             java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(f -> !f.equals(dir)).sorted()::iterator) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                boolean folder = Files.isDirectory(f);
                out.putNextEntry(new java.util.jar.JarEntry(folder ? name + "/" : name));
                if (!folder) {
                    Files.copy(f, out);
                }
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether worker CDS is on ({@value #PROPERTY}, default true). */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));
    }

    /** The archive for workers started with {@code jvmArgs} and {@code classPath}, under {@code workDir}. */
    static Path archive(Path workDir, List<String> jvmArgs, String classPath) {
        return workDir.toAbsolutePath().resolve("cds").resolve("worker-" + hash(classPath + "\n"
                + Runtime.version() + "\n" + System.getProperty("java.home") + "\n" + jvmArgs) + ".jsa");
    }

    /**
     * The CDS options for one campaign's workers: map the archive if there is one; otherwise, if no other campaign is
     * building it, have each worker write one ({@code worker} is substituted per worker by {@link #forWorker}).
     */
    static Plan plan(Path archive, String classPath) {
        if (!enabled() || !jarsOnly(classPath)) {
            return Plan.NONE;
        }
        if (Files.isRegularFile(archive)) {
            return new Plan(archive, false);
        }
        synchronized (LOCK) {
            if (training) {
                return Plan.NONE;
            }
            training = true;
        }
        try {
            Files.createDirectories(archive.getParent());
        } catch (IOException e) {
            synchronized (LOCK) {
                training = false;
            }
            return Plan.NONE;
        }
        return new Plan(archive, true);
    }

    /** What one campaign does with CDS. */
    record Plan(Path archive, boolean build) {
        static final Plan NONE = new Plan(null, false);

        /** The JVM options of worker {@code w}. */
        List<String> forWorker(int w) {
            List<String> out = new ArrayList<>();
            if (archive == null) {
                return out;
            }
            if (build) {
                out.add("-XX:ArchiveClassesAtExit=" + candidate(w));
            } else {
                out.add("-XX:SharedArchiveFile=" + archive);
            }
            out.add("-Xlog:cds=off");
            out.add("-Xlog:cds+dynamic=off");
            return out;
        }

        private Path candidate(int w) {
            return archive.resolveSibling(archive.getFileName() + ".w" + w + ".tmp");
        }

        /** After the campaign: keep the first archive a worker wrote, drop the other candidates. */
        void finish(int workers) {
            if (archive == null || !build) {
                return;
            }
            try {
                for (int w = 0; w < workers; w++) {
                    Path c = candidate(w);
                    if (!Files.isRegularFile(archive) && Files.isRegularFile(c) && Files.size(c) > 0) {
                        Files.move(c, archive, StandardCopyOption.ATOMIC_MOVE);
                    } else {
                        Files.deleteIfExists(c);
                    }
                }
            } catch (IOException e) {
                // no archive this time: later campaigns start without one (or build it again)
            } finally {
                synchronized (LOCK) {
                    training = false;
                }
            }
        }
    }

    /**
     * CDS archives only jar files: with a directory on the class path (the build's {@code target/classes}) the JVM
     * refuses to dump at exit and exits with status 1, which would turn a worker's own exit status into a failure.
     */
    static boolean jarsOnly(String classPath) {
        if (classPath == null || classPath.isBlank()) {
            return false;
        }
        for (String e : classPath.split(java.io.File.pathSeparator)) {
            if (e.isBlank() || !e.endsWith(".jar") || !Files.isRegularFile(Path.of(e))) {
                return false;
            }
        }
        return true;
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            return Integer.toHexString(s.hashCode());
        }
    }
}
