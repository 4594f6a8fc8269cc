package io.stresslab.core.kagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lists a remote MCP server's tools: one JSON-RPC 2.0 {@code tools/list} request over HTTP POST. The calling thread
 * does the socket I/O itself (a blocking {@link HttpURLConnection}), so a thread dump of a slow or hung call shows the
 * caller in a socket read.
 *
 * <p>{@code deadline} bounds connect and read; {@code null} means none at all — the KAGENT-1 before variant's
 * client, which waits forever on a server that accepts the request and never answers.
 */
public final class McpToolsClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Duration deadline;
    private final AtomicLong ids = new AtomicLong();

    public McpToolsClient(Duration deadline) {
        this.deadline = deadline;
    }

    /** A client with no deadline (KAGENT-1 before). */
    public static McpToolsClient withoutDeadline() {
        return new McpToolsClient(null);
    }

    public Duration deadline() {
        return deadline;
    }

    public List<McpTool> listTools(URI server) throws IOException {
        HttpURLConnection http = (HttpURLConnection) server.toURL().openConnection();
        int timeout = deadline == null ? 0 : (int) Math.max(1, deadline.toMillis());
        http.setConnectTimeout(timeout);
        http.setReadTimeout(timeout);
        http.setRequestMethod("POST");
        http.setDoOutput(true);
        http.setRequestProperty("Content-Type", "application/json");
        http.setRequestProperty("Accept", "application/json");
        byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet()
                + ",\"method\":\"tools/list\",\"params\":{}}").getBytes(StandardCharsets.UTF_8);
        try {
            try (OutputStream out = http.getOutputStream()) {
                out.write(body);
            }
            int status = http.getResponseCode();
            if (status != 200) {
                throw new IOException("MCP server " + server + " answered HTTP " + status);
            }
            JsonNode reply;
            try (InputStream in = http.getInputStream()) {
                reply = JSON.readTree(in);
            }
            if (reply.has("error")) {
                throw new IOException("MCP server " + server + " returned error " + reply.get("error"));
            }
            List<McpTool> tools = new ArrayList<>();
            for (JsonNode t : reply.path("result").path("tools")) {
                tools.add(new McpTool(t.path("name").asText(), t.path("description").asText("")));
            }
            return tools;
        } finally {
            http.disconnect();
        }
    }
}
