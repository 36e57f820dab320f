package io.wshub.nats;

import io.wshub.Target;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NatsSubjectsTest {
    final NatsSubjects subjects = new NatsSubjects("wshub");

    @Test
    void plainIdsAreUsedAsTheyAre() {
        assertThat(subjects.subject(Target.ALL)).isEqualTo("wshub.all");
        assertThat(subjects.subject(Target.user("alice_42"))).isEqualTo("wshub.user.alice_42");
        assertThat(subjects.subject(Target.tag("room-1"))).isEqualTo("wshub.tag.room-1");
        assertThat(subjects.subject(Target.client("a.k3x9"))).isEqualTo("wshub.node.a");
        assertThat(subjects.subject(Target.client("nodot"))).isNull();
    }

    @Test
    void idsThatAreNotOneSafeTokenAreEncodedWithoutCollisions() {
        assertThat(subjects.subject(Target.user("a.b"))).isEqualTo("wshub.user.~YS5i");
        assertThat(subjects.subject(Target.user("~YS5i"))).isNotEqualTo("wshub.user.~YS5i");
        for (String id : new String[] {"a b", "*", ">", "ünï", "", "a..b"}) {
            String token = NatsSubjects.token(id);
            assertThat(token).startsWith("~").matches("~[A-Za-z0-9_-]*");
        }
    }

    @Test
    void aPrefixMustBeASubjectPrefix() {
        assertThat(new NatsSubjects("chat.eu").subject(Target.ALL)).isEqualTo("chat.eu.all");
        assertThatThrownBy(() -> new NatsSubjects("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NatsSubjects("a.>")).isInstanceOf(IllegalArgumentException.class);
    }
}
