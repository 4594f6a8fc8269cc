package io.stresslab.stress.harness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the wall time of a run went, from its records: per check (longest first) and per phase — jcstress, Lincheck,
 * liveness, threads, database, multi-worker (its worker JVM start-ups, metric {@value #WORKER_START_METRIC}, shown
 * apart as "worker JVM starts") — plus phases the caller measured itself (e.g. writing the report). Printed at the end
 * of {@code stresslab run} and of {@code mvn verify} (by the reports module's gate).
 */
public final class TimeTable {
    /** The metric in which a multi-worker check records the start-up time of its worker JVMs (summed over runs). */
    public static final String WORKER_START_METRIC = "workerStartMillis";
    /**
     * The metric in which every check records the share of the machine's CPU time its hypervisor gave to other guests
     * while it ran ({@link io.stresslab.core.host.CpuSteal}): on a shared virtual machine the reason a run is slow.
     */
    public static final String CPU_STEAL_METRIC = "cpuSteal";

    private TimeTable() {
    }

    /** The table as lines; {@code extra} are further phases (name → milliseconds) in order. */
    public static List<String> lines(List<CheckRecord> records, Map<String, Long> extra) {
        List<CheckRecord> ran = records.stream().filter(r -> r.verdict() != Verdict.SKIPPED).toList();
        Map<String, Long> phases = new LinkedHashMap<>();
        long checks = 0;
        long starts = 0;
        for (CheckRecord r : ran) {
            long start = workerStarts(r);
            starts += start;
            phases.merge(r.tool() == null ? "?" : r.tool().json(), r.durationMillis() - start, Long::sum);
            checks += r.durationMillis();
        }
        if (starts > 0) {
            phases.put("worker JVM starts", starts);
        }
        phases.putAll(extra);
        long total = checks + extra.values().stream().mapToLong(Long::longValue).sum();
        List<String> out = new ArrayList<>();
        out.add("TIME TABLE — where the wall time went (" + seconds(total) + " in all, " + ran.size() + " checks)");
        double steal = meanSteal(ran);
        if (!Double.isNaN(steal)) {
            out.add(String.format(Locale.ROOT, "  CPU steal while the checks ran: %.0f %% (the share of this machine's"
                    + " CPU its host gave to others, weighted by check time)", steal * 100));
        }
        out.add(String.format(Locale.ROOT, "  %-30s %10s %6s", "PHASE", "TIME", "SHARE"));
        phases.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.add(String.format(Locale.ROOT, "  %-30s %10s %5.1f%%", e.getKey(),
                        seconds(e.getValue()), total == 0 ? 0.0 : 100.0 * e.getValue() / total)));
        out.add(String.format(Locale.ROOT, "  %-10s %-30s %-10s %-12s %-32s %10s %10s %6s", "BUG", "VARIANT",
                "DATABASE", "TOOL", "CHECK", "TIME", "JVM STARTS", "STEAL"));
        ran.stream().sorted(Comparator.comparingLong(CheckRecord::durationMillis).reversed())
                .forEach(r -> out.add(String.format(Locale.ROOT, "  %-10s %-30s %-10s %-12s %-32s %10s %10s %6s",
                        r.bug(), r.variant(), r.database(), r.tool() == null ? "?" : r.tool().json(), r.check(),
                        seconds(r.durationMillis()), workerStarts(r) == 0 ? "" : seconds(workerStarts(r)),
                        Double.isNaN(cpuSteal(r)) ? "" : String.format(Locale.ROOT, "%.0f %%", cpuSteal(r) * 100))));
        return out;
    }

    /** The share of the CPU stolen while the record's check ran, NaN if it was not measured. */
    public static double cpuSteal(CheckRecord r) {
        Object v = r.metrics() == null ? null : r.metrics().get(CPU_STEAL_METRIC);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** The check-time-weighted mean of the records' CPU steal, NaN if none was measured. */
    static double meanSteal(List<CheckRecord> records) {
        double weighted = 0;
        long weight = 0;
        for (CheckRecord r : records) {
            double s = cpuSteal(r);
            if (!Double.isNaN(s)) {
                weighted += s * r.durationMillis();
                weight += r.durationMillis();
            }
        }
        return weight == 0 ? Double.NaN : weighted / weight;
    }

    /** The record's worker JVM start-up time, 0 if it has none. */
    public static long workerStarts(CheckRecord r) {
        Object v = r.metrics() == null ? null : r.metrics().get(WORKER_START_METRIC);
        return v instanceof Number n ? n.longValue() : 0;
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
