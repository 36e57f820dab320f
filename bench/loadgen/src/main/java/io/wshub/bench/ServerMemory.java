package io.wshub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's memory as the OS sees it (VmRSS, for every server) and, for JVM servers, the
 * heap in use after a full GC ({@code jcmd GC.run} then {@code GC.heap_info}).
 */
final class ServerMemory {
    private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    /** G1 prints "garbage-first heap total 262144K, used 12345K"; the first "used" is the whole heap. */
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    final long rssKib;
    /** -1 when the server is not a JVM. */
    final long heapKib;

    private ServerMemory(long rssKib, long heapKib) {
        this.rssKib = rssKib;
        this.heapKib = heapKib;
    }

    static ServerMemory sample(long pid) throws IOException, InterruptedException {
        boolean jvm = isJvm(pid);
        long heap = -1;
        if (jvm) {
            jcmd(pid, "GC.run");
            heap = firstGroup(HEAP_USED, jcmd(pid, "GC.heap_info"));
        }
        String status = Files.readString(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8);
        return new ServerMemory(firstGroup(VM_RSS, status), heap);
    }

    static boolean isJvm(long pid) throws IOException {
        byte[] cmdline = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
        return new String(cmdline, StandardCharsets.UTF_8).contains("java");
    }

    private static long firstGroup(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return out;
    }
}
