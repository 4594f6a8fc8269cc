package io.stresslab.stress.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A self-contained HTML timeline of one non-linearizable key (inline CSS and SVG; no script, no network): one lane
 * per process, each operation a bar from its call to its return (an INFO op's bar runs on to the right edge,
 * hatched), the ops of the longest linearizable prefix numbered in their linearization order, the ops that cannot
 * go next in red, and the failing window — from the first call among them to the last return — shaded. Time is
 * drawn by event order (every distinct call/return time one step), so short and long ops stay readable; a bar's
 * tooltip has the real times. A long history is cut to the operations around the failing window.
 */
public final class Timeline {
    private static final int MAX_OPS = 400;
    private static final int LANE = 34;
    private static final int LEFT = 110;

    private Timeline() {
    }

    /**
     * Writes {@code timeline-<key>.html} into {@code dir} (created if needed) for {@code failing}, drawing
     * {@code keyOps} (the key's operations); {@code origin} names where an op came from (for tooltips). Returns the
     * file.
     */
    public static Path write(Path dir, String title, LinearizabilityChecker.KeyResult failing, List<Op> keyOps,
                             Function<Op, String> origin) {
        String name = failing.key().isEmpty() ? "timeline.html"
                : "timeline-" + failing.key().replaceAll("[^A-Za-z0-9._-]", "_") + ".html";
        Path file = dir.resolve(name.length() > 120 ? name.substring(0, 110) + "-" + Math.abs(failing.key()
                .hashCode()) + ".html" : name);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, html(title, failing, keyOps, origin), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the timeline " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** The page as a string. */
    public static String html(String title, LinearizabilityChecker.KeyResult failing, List<Op> keyOps,
                              Function<Op, String> origin) {
        Map<Op, Integer> order = new HashMap<>();
        for (int i = 0; i < failing.longestPrefix().size(); i++) {
            order.put(failing.longestPrefix().get(i), i + 1);
        }
        Set<Op> stuck = new java.util.HashSet<>(failing.notLinearizable());
        long winStart = failing.notLinearizable().stream().mapToLong(Op::invokeNanos).min().orElse(Long.MIN_VALUE);
        long winEnd = failing.notLinearizable().stream().mapToLong(Op::completeNanos).filter(t -> t != Op.NEVER)
                .max().orElse(winStart);
        List<Op> shown = window(keyOps, order, stuck, winStart, winEnd);

        TreeSet<Long> times = new TreeSet<>();
        for (Op op : shown) {
            times.add(op.invokeNanos());
            if (op.completeNanos() != Op.NEVER) {
                times.add(op.completeNanos());
            }
        }
        Map<Long, Integer> x = new HashMap<>();
        int i = 0;
        for (long t : times) {
            x.put(t, i++);
        }
        int end = i + 2;
        // wide steps for short histories (labels fit), narrower for long ones
        int step = Math.max(12, Math.min(80, 1100 / Math.max(1, end)));
        Map<String, Integer> lanes = new LinkedHashMap<>();
        shown.stream().map(Timeline::lane).distinct().sorted(Comparator.comparing(Timeline::laneOrder))
                .forEach(l -> lanes.put(l, lanes.size()));
        int width = LEFT + end * step + 20;
        int height = 30 + lanes.size() * LANE + 10;

        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.append("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#eee\"/>"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#aaa\" stroke-width=\"3\"/></pattern></defs>");
        if (!stuck.isEmpty() && x.containsKey(winStart)) {
            int x0 = LEFT + x.get(winStart) * step;
            int x1 = LEFT + (x.containsKey(winEnd) ? x.get(winEnd) : end) * step;
            svg.append("<rect class=\"window\" x=\"").append(x0 - 4).append("\" y=\"18\" width=\"")
                    .append(Math.max(8, x1 - x0 + 8)).append("\" height=\"").append(height - 22)
                    .append("\" fill=\"#fde2e2\"/><text x=\"").append(x0).append("\" y=\"13\" fill=\"#b00\">"
                            + "failing window</text>");
        }
        lanes.forEach((lane, row) -> {
            int y = 30 + row * LANE;
            svg.append("<text x=\"4\" y=\"").append(y + 17).append("\">").append(esc(lane)).append("</text>")
                    .append("<line x1=\"").append(LEFT - 6).append("\" x2=\"").append(width - 10).append("\" y1=\"")
                    .append(y + LANE - 4).append("\" y2=\"").append(y + LANE - 4).append("\" stroke=\"#eee\"/>");
        });
        for (Op op : shown) {
            int y = 30 + lanes.get(lane(op)) * LANE;
            int x0 = LEFT + x.get(op.invokeNanos()) * step;
            boolean info = op.completeNanos() == Op.NEVER;
            int x1 = LEFT + (info ? end : x.get(op.completeNanos())) * step;
            String fill = stuck.contains(op) ? "#e53935" : order.containsKey(op) ? "#81c784"
                    : info ? "url(#hatch)" : op.status() == Op.Status.FAIL ? "#e0e0e0" : "#90caf9";
            String tip = op.describe() + "\ncall " + op.invokeNanos() + ", return "
                    + (info ? "never (outcome unknown)" : op.completeNanos())
                    + (order.containsKey(op) ? "\nlinearized #" + order.get(op) : "")
                    + (stuck.contains(op) ? "\ncannot take effect next" : "")
                    + (origin == null ? "" : "\n" + origin.apply(op));
            svg.append("<g class=\"op").append(stuck.contains(op) ? " stuck" : "").append("\"><title>")
                    .append(esc(tip)).append("</title><rect x=\"").append(x0).append("\" y=\"").append(y + 4)
                    .append("\" width=\"").append(Math.max(6, x1 - x0)).append("\" height=\"20\" rx=\"3\" fill=\"")
                    .append(fill).append("\" stroke=\"#555\" stroke-width=\"0.5\"/><text x=\"").append(x0 + 3)
                    .append("\" y=\"").append(y + 18).append("\">")
                    .append(esc((order.containsKey(op) ? "#" + order.get(op) + " " : "") + label(op)))
                    .append("</text></g>");
        }
        svg.append("</svg>");

        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title)).append(" — key ").append(esc(failing.key())).append("</title><style>")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}h1{font-size:1.3em}"
                        + ".box{overflow-x:auto;border:1px solid #ddd;padding:4px}"
                        + ".legend span{display:inline-block;padding:1px 8px;margin-right:8px;border-radius:3px}"
                        + "code{background:#f4f4f4;padding:1px 3px}li{margin:2px 0}")
                .append("</style></head><body><h1>").append(esc(title)).append(": key <code>")
                .append(esc(failing.key())).append("</code> is not linearizable</h1><p>")
                .append(esc(failing.describe())).append("</p><p class=\"legend\">")
                .append("<span style=\"background:#81c784\">#n: linearized in this order</span>")
                .append("<span style=\"background:#e53935;color:#fff\">cannot take effect next</span>")
                .append("<span style=\"background:#90caf9\">other ops</span>")
                .append("<span style=\"background:#eee;border:1px dashed #999\">outcome unknown (info)</span>")
                .append("<span style=\"background:#fde2e2\">failing window</span></p>");
        if (shown.size() < keyOps.size()) {
            page.append("<p>Showing ").append(shown.size()).append(" of ").append(keyOps.size())
                    .append(" operations of this key: those around the failing window.</p>");
        }
        page.append("<div class=\"box\">").append(svg).append("</div>");
        page.append("<h2>Longest linearizable prefix (").append(failing.longestPrefix().size())
                .append(" ops), then state <code>").append(esc(String.valueOf(failing.stateAfterPrefix())))
                .append("</code></h2><ol>");
        List<Op> prefix = failing.longestPrefix();
        int from = Math.max(0, prefix.size() - 30);
        if (from > 0) {
            page.append("<li value=\"1\">… ").append(from).append(" earlier ops</li>");
        }
        for (int k = from; k < prefix.size(); k++) {
            page.append("<li value=\"").append(k + 1).append("\">").append(esc(prefix.get(k).describe()))
                    .append("</li>");
        }
        page.append("</ol><h2>None of these can take effect next</h2><ul>");
        failing.notLinearizable().forEach(op -> page.append("<li>").append(esc(op.describe()))
                .append(origin == null ? "" : " <small>(" + esc(origin.apply(op)) + ")</small>").append("</li>"));
        page.append("</ul></body></html>\n");
        return page.toString();
    }

    /** The ops to draw: all of a short history, else those near the failing window (prefix tail included). */
    private static List<Op> window(List<Op> ops, Map<Op, Integer> order, Set<Op> stuck, long winStart, long winEnd) {
        if (ops.size() <= MAX_OPS) {
            return ops;
        }
        int prefixSize = order.size();
        List<Op> near = new ArrayList<>();
        for (Op op : ops) {
            boolean overlaps = op.invokeNanos() <= winEnd && (op.completeNanos() >= winStart);
            Integer n = order.get(op);
            if (stuck.contains(op) || overlaps || n != null && n > prefixSize - 40) {
                near.add(op);
            }
        }
        near.sort(Comparator.comparingLong((Op o) -> Math.abs(o.invokeNanos() - winStart)));
        List<Op> cut = new ArrayList<>(near.subList(0, Math.min(MAX_OPS, near.size())));
        for (Op s : stuck) {
            if (!cut.contains(s)) {
                cut.add(s);
            }
        }
        cut.sort(Comparator.comparingLong(Op::invokeNanos));
        return cut;
    }

    private static String lane(Op op) {
        return op.thread() == 0 && op.worker() >= 0 ? "process " + op.worker() : "w" + op.worker() + "/t" + op.thread();
    }

    private static String laneOrder(String lane) {
        String digits = lane.replaceAll("\\D+", " ").trim();
        StringBuilder sb = new StringBuilder();
        for (String d : digits.split(" ")) {
            sb.append(String.format(Locale.ROOT, "%010d", d.isEmpty() ? 0 : Long.parseLong(d.length() > 9
                    ? d.substring(0, 9) : d)));
        }
        return sb.toString();
    }

    private static String label(Op op) {
        String in = op.input().isNil() ? "" : op.input().show();
        String out = switch (op.status()) {
            case OK -> op.output().isUnknown() || op.output().isNil() && !op.name().equals("read") ? ""
                    : " → " + op.output().show();
            case FAIL -> " ✗";
            case INFO -> " ?";
        };
        String s = op.name() + (in.isEmpty() ? "" : " " + in) + out;
        return s.length() > 40 ? s.substring(0, 39) + "…" : s;
    }

    private static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
