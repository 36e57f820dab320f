package io.wshub.server;

import io.wshub.HistoryRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The history setting from the flag, the env var and the YAML file (docs/history.md). */
class HistorySettingsTest {

    private static HistoryRule[] rules(Path file, Map<String, String> env, String... args) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.parseArgs(args);
        Settings s = SettingsLoader.load(file, env, cli.getCommandSpec());
        return HistorySettings.rules(s.history);
    }

    @Test
    void theShortFormWorksAsFlagAndEnvAndYamlTakesObjects(@TempDir Path dir) throws Exception {
        assertThat(rules(null, Map.of(), "--history", "room:*=100/300,@user=50/600s")).containsExactly(
                HistoryRule.tags("room:*", 100, Duration.ofSeconds(300)), HistoryRule.users(50, Duration.ofSeconds(600)));
        assertThat(rules(null, Map.of("WSHUB_HISTORY", "news=5/60"))).containsExactly(HistoryRule.tags("news", 5, Duration.ofMinutes(1)));
        Path file = dir.resolve("wshub.yaml");
        Files.writeString(file, """
                history:
                  - {match: "room:*", size: 100, ttl: 300}
                  - {user: true, size: 50, ttl: 600}
                  - "a:*=1/1"
                """);
        assertThat(rules(file, Map.of())).containsExactly(HistoryRule.tags("room:*", 100, Duration.ofSeconds(300)),
                HistoryRule.users(50, Duration.ofSeconds(600)), HistoryRule.tags("a:*", 1, Duration.ofSeconds(1)));
    }

    @Test
    void badRulesSayWhatARuleLooksLike() {
        for (String bad : new String[] {"room:*", "room:*=x/3", "=5/5", "room=0/60", "room=5/0"}) {
            assertThatThrownBy(() -> rules(null, Map.of(), "--history", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad history rule");
        }
    }
}
