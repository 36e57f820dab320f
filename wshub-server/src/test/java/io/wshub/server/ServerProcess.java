package io.wshub.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real {@code wshub} command in a child JVM, started in a working directory of the test's choosing. */
final class ServerProcess {
    /** The development ready line; group 1 the base URL, 2 the port, 3 the paths, 4 the key, 5 the token, 6 the secrets file. */
    static final Pattern DEV_READY = Pattern.compile(
            "wshub listening on (http://127\\.0\\.0\\.1:(\\d+)) ws=(/ws) apiKey=(\\S+) sampleToken=(\\S+)(?: secrets=(\\S+))?");

    private ServerProcess() {}

    /** Starts {@code wshub args} in {@code workDir}; stderr is discarded. */
    static Process start(Path workDir, String... args) throws IOException {
        return builder(workDir, List.of(), args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * Starts {@code wshub args} with the jar's own logback.xml (not the test classpath's) and its
     * log, which goes to stderr, written to {@code log}.
     */
    static Process startLogging(Path workDir, Path log, String... args) throws IOException {
        return builder(workDir, List.of("-Dlogback.configurationFile=logback.xml"), args)
                .redirectError(log.toFile()).start();
    }

    private static ProcessBuilder builder(Path workDir, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a short-lived server: C1 only and the serial collector start it faster on a busy machine
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.wshub.server.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDir.toFile());
    }

    /** Reads stdout up to the first line {@code ready} finds. */
    static Matcher awaitLine(Process p, Pattern ready) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = ready.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new AssertionError("no ready line; exit " + p.exitValue());
    }
}
