package io.wshub.registry;

import io.wshub.Connection;
import io.wshub.TagCount;
import io.wshub.UserCount;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's connections, indexed by client id, user and tag.
 *
 * <p>Concurrency: three {@link ConcurrentHashMap}s, which lock per hash bin (so the registry is
 * sharded as finely as it can be), and reads never lock: a send to one user looks up one set
 * and never walks every connection. Membership changes of one key go through
 * {@code compute}, so a set is removed exactly when its last member leaves, and the caller
 * learns that (to subscribe or unsubscribe in cluster mode).
 */
public final class Registry {
    private final Map<String, Connection> byId = new ConcurrentHashMap<>();
    /** A user's devices: a small array replaced on change (a set per user would cost ~200 bytes each). */
    private final Map<String, Connection[]> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<Connection>> byTag = new ConcurrentHashMap<>();

    /** Adds a connection; true if it is its user's first on this node. */
    public boolean add(Connection c) {
        byId.put(c.id(), c);
        if (c.userId() == null) {
            return false;
        }
        boolean[] first = {false};
        byUser.compute(c.userId(), (k, devices) -> {
            first[0] = devices == null;
            if (devices == null) {
                return new Connection[] {c};
            }
            Connection[] more = Arrays.copyOf(devices, devices.length + 1);
            more[devices.length] = c;
            return more;
        });
        return first[0];
    }

    /** Removes a connection; true if it was its user's last on this node. */
    public boolean remove(Connection c) {
        byId.remove(c.id());
        if (c.userId() == null) {
            return false;
        }
        boolean[] last = {false};
        byUser.computeIfPresent(c.userId(), (k, devices) -> {
            Connection[] rest = Arrays.stream(devices).filter(d -> d != c).toArray(Connection[]::new);
            last[0] = rest.length == 0;
            return last[0] ? null : rest;
        });
        return last[0];
    }

    /** True if the tag had no member on this node before. */
    public boolean join(Connection c, String tag) {
        return addTo(byTag, tag, c);
    }

    /** True if the tag has no member on this node any more. */
    public boolean quit(Connection c, String tag) {
        return removeFrom(byTag, tag, c);
    }

    public Connection get(String clientId) {
        return byId.get(clientId);
    }

    public Collection<Connection> all() {
        return byId.values();
    }

    public List<Connection> ofUser(String userId) {
        Connection[] devices = byUser.get(userId);
        return devices == null ? List.of() : Arrays.asList(devices);
    }

    public Set<Connection> ofTag(String tag) {
        return byTag.getOrDefault(tag, Set.of());
    }

    public int connectionCount() {
        return byId.size();
    }

    public int userCount() {
        return byUser.size();
    }

    public int tagCount() {
        return byTag.size();
    }

    public List<UserCount> users() {
        List<UserCount> list = new ArrayList<>(byUser.size());
        byUser.forEach((user, devices) -> list.add(new UserCount(user, devices.length)));
        list.sort(Comparator.comparing(UserCount::userId));
        return list;
    }

    public List<TagCount> tags() {
        List<TagCount> list = new ArrayList<>(byTag.size());
        byTag.forEach((tag, set) -> list.add(new TagCount(tag, set.size())));
        list.sort(Comparator.comparing(TagCount::tag));
        return list;
    }

    private static boolean addTo(Map<String, Set<Connection>> index, String key, Connection c) {
        boolean[] first = {false};
        index.compute(key, (k, set) -> {
            if (set == null) {
                set = ConcurrentHashMap.newKeySet();
                first[0] = true;
            }
            set.add(c);
            return set;
        });
        return first[0];
    }

    private static boolean removeFrom(Map<String, Set<Connection>> index, String key, Connection c) {
        boolean[] last = {false};
        index.computeIfPresent(key, (k, set) -> {
            set.remove(c);
            last[0] = set.isEmpty();
            return last[0] ? null : set;
        });
        return last[0];
    }
}
