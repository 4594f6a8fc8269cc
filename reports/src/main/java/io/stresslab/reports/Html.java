package io.stresslab.reports;

/** HTML escaping. Every piece of text that reaches the page goes through {@link #esc}. */
final class Html {
    private Html() {
    }

    /** Escapes text for element content and double-quoted attribute values; null becomes the empty string. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // drop C0 controls other than tab/newline/CR: they are not allowed in HTML text
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** A safe fragment id ("KAGENT-1" stays, anything else becomes '_'). */
    static String id(String raw) {
        return raw == null ? "unknown" : raw.replaceAll("[^A-Za-z0-9_-]", "_");
    }
}
