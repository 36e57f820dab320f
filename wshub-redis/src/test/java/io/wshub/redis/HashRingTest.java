package io.wshub.redis;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HashRingTest {
    private static final int KEYS = 20_000;

    private static HashRing<String> ring(String... shards) {
        return new HashRing<>(List.of(shards), Function.identity());
    }

    @Test
    void keysSpreadEvenlyOverTheShards() {
        HashRing<String> ring = ring("r1:6379", "r2:6379", "r3:6379", "r4:6379");
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            counts.merge(ring.shardFor("wshub:user:" + i), 1, Integer::sum);
        }
        assertThat(counts).hasSize(4);
        // Within 20% of the mean (5,000) with 160 points per shard.
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(4000, 6000));
    }

    @Test
    void addingAShardMovesOnlyTheKeysTheNewShardTakes() {
        HashRing<String> three = ring("r1:6379", "r2:6379", "r3:6379");
        HashRing<String> four = ring("r1:6379", "r2:6379", "r3:6379", "r4:6379");
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            String key = "wshub:tag:" + i;
            String before = three.shardFor(key);
            String after = four.shardFor(key);
            if (!before.equals(after)) {
                moved++;
                assertThat(after).as("a key only ever moves to the new shard").isEqualTo("r4:6379");
            }
        }
        // About a quarter moves; never most of them (as modulo hashing would do).
        assertThat(moved).isBetween(KEYS / 6, KEYS / 3);
    }

    @Test
    void theOrderOfTheShardListDoesNotMatter() {
        HashRing<String> one = ring("a:1", "b:2", "c:3");
        HashRing<String> other = ring("c:3", "a:1", "b:2");
        for (int i = 0; i < 2000; i++) {
            assertThat(other.shardFor("k" + i)).isEqualTo(one.shardFor("k" + i));
            assertThat(other.preference("k" + i)).isEqualTo(one.preference("k" + i));
        }
    }

    @Test
    void thePreferenceListsEveryShardOnceOwnerFirst() {
        HashRing<String> ring = ring("a:1", "b:2", "c:3");
        for (int i = 0; i < 100; i++) {
            List<String> preference = ring.preference("k" + i);
            assertThat(preference).containsExactlyInAnyOrder("a:1", "b:2", "c:3");
            assertThat(preference.get(0)).isEqualTo(ring.shardFor("k" + i));
        }
    }

    @Test
    void aShardListedTwiceOrNoShardIsRejected() {
        assertThatThrownBy(() -> ring("a:1", "a:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShardedRedis.install(new io.wshub.WsConfig(),
                List.of("redis://127.0.0.1:1", "redis://:pw@127.0.0.1:1/2"))).hasMessageContaining("twice");
    }
}
