package io.wshub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process (the server, a load-generator worker) has used, user + system, from
 * /proc/PID/stat. With one core for the load generator, the load generator can be the limit;
 * work per server CPU-second stays comparable either way.
 */
final class ProcessCpu {
    /** USER_HZ: the kernel reports these fields in 1/100 s on every Linux this runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** CPU milliseconds of a comma-separated list of pids, summed; -1 for an empty list or an unknown pid. */
    static long millis(String pids) {
        if (pids.isBlank()) {
            return -1;
        }
        long sum = 0;
        for (String pid : pids.split(",")) {
            long ms = millis(Long.parseLong(pid.trim()));
            if (ms < 0) {
                return -1;
            }
            sum += ms;
        }
        return sum;
    }

    /** Milliseconds of CPU used so far, or -1 when the pid is unknown. */
    static long millis(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
