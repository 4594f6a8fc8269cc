package io.stresslab.core.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The share of this machine's CPU time that the hypervisor gave to other guests over an interval: the {@code steal}
 * column of {@code /proc/stat}'s first line over all its columns. On a shared virtual machine this is what moves a
 * benchmark fork's score by a factor of several while nothing in the benchmark changed, and a check's time likewise.
 * The bench runner records it per fork and the check runner per check, so a noisy row or a slow run can be told from
 * a slow change. NaN where {@code /proc/stat} is missing (not Linux).
 */
public record CpuSteal(long steal, long total) {
    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** The counters now, or zeros (and every interval NaN) if they cannot be read. */
    public static CpuSteal now() {
        try {
            return parse(Files.readAllLines(PROC_STAT).get(0));
        } catch (IOException | RuntimeException e) {
            return new CpuSteal(0, 0);
        }
    }

    /** {@code cpu  user nice system idle iowait irq softirq steal guest guest_nice}: steal is the 8th number. */
    public static CpuSteal parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            return new CpuSteal(0, 0);
        }
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) { // guest time is already counted in user and nice
            total += Long.parseLong(f[i]);
        }
        return new CpuSteal(Long.parseLong(f[8]), total);
    }

    /** The stolen share of the CPU time between {@code earlier} and this reading, or NaN if unknown. */
    public double since(CpuSteal earlier) {
        long dt = total - earlier.total;
        return earlier.total == 0 || dt <= 0 ? Double.NaN : (double) (steal - earlier.steal) / dt;
    }

    /** A share as records and result files keep it: to 0.1 % (NaN stays NaN). */
    public static double rounded(double share) {
        return Double.isNaN(share) ? share : Math.round(share * 1000) / 1000.0; // Math.round(NaN) would be 0
    }
}
