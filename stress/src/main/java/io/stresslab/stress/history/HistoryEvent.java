package io.stresslab.stress.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One line of a worker's history file: an {@code invoke} (carrying op name, key and args) or a completion
 * ({@code ok}/{@code fail}/{@code info}, carrying the result or reason) of the op with the same {@code id}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEvent(String type, long t, int w, int p, long id, String op, String key, List<String> args,
                           String result) {
    static final String INVOKE = "invoke";

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isInvoke() {
        return INVOKE.equals(type);
    }
}
