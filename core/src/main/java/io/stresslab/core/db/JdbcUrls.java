package io.stresslab.core.db;

import java.util.regex.Pattern;

/** Small helpers for showing JDBC URLs to users without their secrets. */
public final class JdbcUrls {
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/:@]+:)[^@/]*@");

    private JdbcUrls() {
    }

    /** The URL with any password replaced by ***. */
    public static String redact(String url) {
        if (url == null) {
            return "";
        }
        String r = PASSWORD.matcher(url).replaceAll("$1***");
        return USERINFO.matcher(r).replaceAll("$1***@");
    }
}
