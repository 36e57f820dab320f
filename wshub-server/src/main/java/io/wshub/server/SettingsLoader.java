package io.wshub.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Layers the three sources of settings: the YAML file, then {@code WSHUB_*} environment
 * variables, then flags. The names of all three derive from each flag's long name, so a new
 * option needs only a field in {@link Main} and in {@link Settings}.
 */
final class SettingsLoader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> NOT_SETTINGS = Set.of("--config", "--help", "--version");

    private SettingsLoader() {}

    static Settings load(Path file, Map<String, String> env, CommandSpec spec) {
        ObjectNode merged = JSON.createObjectNode();
        Path source = file != null ? file : env.containsKey("WSHUB_CONFIG") ? Path.of(env.get("WSHUB_CONFIG")) : null;
        if (source != null) {
            merged.setAll(readYaml(source));
        }
        for (OptionSpec option : spec.options()) {
            if (NOT_SETTINGS.contains(option.longestName())) {
                continue;
            }
            String key = camelCase(option.longestName());
            for (String name : option.names()) {
                String value = env.get(envName(name));
                if (value != null && !value.isBlank()) {
                    merged.set(key, option.splitRegex().isEmpty() ? JSON.getNodeFactory().textNode(value.trim()) : list(value));
                }
            }
            if (option.getValue() != null) {
                merged.set(key, JSON.valueToTree(option.getValue()));
            }
        }
        try {
            return JSON.treeToValue(merged, Settings.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown setting '" + e.getPropertyName() + "' in " + source);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad setting: " + e.getOriginalMessage());
        }
    }

    private static ObjectNode readYaml(Path path) {
        try {
            JsonNode tree = YAML.readTree(path.toFile());
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return JSON.createObjectNode();
            }
            if (!tree.isObject()) {
                throw new IllegalArgumentException("config file " + path + " must be a YAML mapping");
            }
            return (ObjectNode) tree;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + path + ": " + e.getMessage());
        }
    }

    private static ArrayNode list(String commaSeparated) {
        ArrayNode array = JSON.createArrayNode();
        for (String item : commaSeparated.split(",")) {
            if (!item.isBlank()) {
                array.add(item.trim());
            }
        }
        return array;
    }

    /** {@code --jwt-secret} -> {@code jwtSecret}. */
    static String camelCase(String flag) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : flag.replaceFirst("^-+", "").toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** {@code --jwt-secret} -> {@code WSHUB_JWT_SECRET}. */
    static String envName(String flag) {
        return "WSHUB_" + flag.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
