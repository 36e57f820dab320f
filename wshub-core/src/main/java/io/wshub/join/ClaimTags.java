package io.wshub.join;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A token claim holding tags or tag patterns: a JSON array of strings, or one comma-separated string. */
public final class ClaimTags {
    private ClaimTags() {}

    /** The non-empty strings of {@code value}; anything else in it is ignored. */
    public static List<String> of(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            for (Object o : list) {
                if (o instanceof String s && !s.isEmpty()) {
                    out.add(s);
                }
            }
        } else if (value instanceof String s) {
            for (String p : s.split(",")) {
                if (!p.isBlank()) {
                    out.add(p.trim());
                }
            }
        }
        return out;
    }
}
