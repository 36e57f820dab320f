package io.wshub.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.HistoryRule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code history} setting (docs/history.md): a list of rules, each either the short form
 * of the flag and env var, {@code <tag glob>=<size>/<ttl seconds>} or {@code @user=<size>/<ttl>},
 * or in YAML an object {@code {match: "room:*", size: 100, ttl: 300}} /
 * {@code {user: true, size: 50, ttl: 600}}.
 */
final class HistorySettings {
    private static final String USAGE = "a history rule is <tag glob>=<size>/<ttl seconds> or @user=<size>/<ttl seconds>, "
            + "or in YAML {match: \"room:*\", size: 100, ttl: 300} / {user: true, size: 50, ttl: 600}";

    private HistorySettings() {}

    static HistoryRule[] rules(List<JsonNode> entries) {
        List<HistoryRule> rules = new ArrayList<>();
        for (JsonNode entry : entries) {
            rules.add(entry.isTextual() ? shortForm(entry.textValue().trim()) : object(entry));
        }
        return rules.toArray(HistoryRule[]::new);
    }

    private static HistoryRule shortForm(String rule) {
        int eq = rule.lastIndexOf('=');
        int slash = rule.lastIndexOf('/');
        if (eq <= 0 || slash < eq) {
            throw new IllegalArgumentException("bad history rule '" + rule + "': " + USAGE);
        }
        String who = rule.substring(0, eq);
        int size = number(rule, rule.substring(eq + 1, slash));
        Duration ttl = Duration.ofSeconds(number(rule, rule.substring(slash + 1).replaceFirst("s$", "")));
        return make(rule, who.equals("@user") ? null : who, size, ttl);
    }

    private static HistoryRule object(JsonNode o) {
        if (!o.isObject() || !o.path("size").canConvertToInt() || !o.path("ttl").canConvertToInt()
                || o.path("user").asBoolean(false) == o.hasNonNull("match")) {
            throw new IllegalArgumentException("bad history rule " + o + ": " + USAGE);
        }
        return make(o.toString(), o.path("user").asBoolean(false) ? null : o.path("match").asText(),
                o.path("size").asInt(), Duration.ofSeconds(o.path("ttl").asInt()));
    }

    private static HistoryRule make(String rule, String glob, int size, Duration ttl) {
        try {
            return glob == null ? HistoryRule.users(size, ttl) : HistoryRule.tags(glob, size, ttl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad history rule '" + rule + "': " + e.getMessage());
        }
    }

    private static int number(String rule, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad history rule '" + rule + "': " + USAGE);
        }
    }
}
