package io.wshub.join;

import java.util.List;

/**
 * A tag pattern of the join policies: {@code *} matches any run of characters (also empty and
 * across {@code :}), {@code {userId}} stands for the connection's user id. Matching walks the
 * text without regular expressions, so a hostile tag costs at most pattern x tag steps.
 */
public final class TagPattern {
    public static final String USER_ID = "{userId}";

    private TagPattern() {}

    /** True if any of {@code patterns} matches {@code tag} for {@code userId} (may be null). */
    public static boolean anyMatches(List<String> patterns, String tag, String userId) {
        for (String p : patterns) {
            if (matches(p, tag, userId)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(String pattern, String tag, String userId) {
        if (pattern.contains(USER_ID)) {
            if (userId == null) {
                return false;
            }
            // A user id holding '*' must not act as a wildcard: match it literally, piece by piece.
            String[] parts = pattern.split("\\{userId}", -1);
            return matchParts(parts, 0, tag, 0, userId);
        }
        return glob(pattern, 0, pattern.length(), tag, 0, tag.length()) == tag.length();
    }

    /** Matches parts[i..] joined by literal userId against tag[from..]. */
    private static boolean matchParts(String[] parts, int i, String tag, int from, String userId) {
        String part = parts[i];
        if (i == parts.length - 1) {
            return glob(part, 0, part.length(), tag, from, tag.length()) == tag.length();
        }
        // Try every place where the literal user id could follow this part.
        for (int at = tag.indexOf(userId, from); at >= 0; at = tag.indexOf(userId, at + 1)) {
            if (glob(part, 0, part.length(), tag, from, at) == at
                    && matchParts(parts, i + 1, tag, at + userId.length(), userId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Matches pattern[ps..pe) against exactly text[ts..te); returns te on success, -1 otherwise.
     * The classic linear backtracking over the last star.
     */
    private static int glob(String p, int ps, int pe, String t, int ts, int te) {
        int pi = ps, ti = ts, star = -1, mark = 0;
        while (ti < te) {
            if (pi < pe && p.charAt(pi) == '*') {
                star = pi++;
                mark = ti;
            } else if (pi < pe && p.charAt(pi) == t.charAt(ti)) {
                pi++;
                ti++;
            } else if (star >= 0) {
                pi = star + 1;
                ti = ++mark;
            } else {
                return -1;
            }
        }
        while (pi < pe && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == pe ? te : -1;
    }
}
