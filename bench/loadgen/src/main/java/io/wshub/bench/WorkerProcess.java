package io.wshub.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link Worker} child JVM driven over stdin/stdout; its other output goes to our stderr. */
final class WorkerProcess implements AutoCloseable {
    /**
     * Netty's per-access checks off in the workers: the receive path reads every byte of every
     * frame through ByteBuf.getByte (see {@link Scan}), and a reference-count and bounds check per
     * byte, plus leak-tracking records on sampled buffers, cost more there than the scan itself.
     * The load generator only reads within the readable bytes of buffers it holds.
     */
    private static final List<String> RECEIVE_PATH_FLAGS = List.of("-Dio.netty.buffer.checkAccessible=false",
            "-Dio.netty.buffer.checkBounds=false", "-Dio.netty.leakDetection.level=disabled");
    /**
     * C1 only, for scenarios measured right after a worker starts. A worker is a fresh JVM per
     * row on one core: with C2 its hot receive path was compiled (and recompiled) inside the
     * measured window, and those compiler threads took more of the core than the event loop did
     * (2,000 subscribers x 40 messages: ~0.5 s of C2 against ~0.3 s of receiving). C1 code is
     * slower per frame but compiles in milliseconds; over the fan-out's row lengths it comes out
     * cheaper. Echo warms up for many seconds first, and there C2's code halves the worker's
     * CPU per request (so the bench measures the faster servers, not itself).
     */
    private static final List<String> C1_ONLY = List.of("-XX:TieredStopAtLevel=1");

    private final int id;
    private final Process process;
    private final PrintWriter stdin;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    WorkerProcess(int id, List<String> workerArgs, String heap, boolean c1Only) throws IOException {
        this.id = id;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+UseParallelGC",
                // Heap pages touched at start, not on first use inside a measured row (page
                // faults zeroing fresh eden pages were 4% of a worker's echo profile).
                "-XX:+AlwaysPreTouch"));
        command.addAll(RECEIVE_PATH_FLAGS);
        if (c1Only) {
            command.addAll(C1_ONLY);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Worker.class.getName()));
        command.addAll(workerArgs);
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pump, "worker-" + id + "-out");
        reader.setDaemon(true);
        reader.start();
    }

    private void pump() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("@")) {
                    answers.add(line.substring(1));
                } else {
                    System.err.println("[worker " + id + "] " + line);
                }
            }
        } catch (IOException e) {
            answers.add("error " + e);
        }
        answers.add("error worker exited");
    }

    long pid() {
        return process.pid();
    }

    void send(String command) {
        stdin.println(command);
    }

    /** Waits for the answer to the last command sent; fails on "error ..." answers. */
    Map<String, String> await(long timeoutMillis) throws InterruptedException {
        String answer = answers.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (answer == null) {
            throw new IllegalStateException("worker " + id + " did not answer within " + timeoutMillis + " ms");
        }
        if (answer.startsWith("error")) {
            throw new IllegalStateException("worker " + id + ": " + answer);
        }
        Map<String, String> fields = new HashMap<>();
        String[] parts = answer.split(" ");
        fields.put("", parts[0]);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        return fields;
    }

    Map<String, String> call(String command, long timeoutMillis) throws InterruptedException {
        send(command);
        return await(timeoutMillis);
    }

    @Override
    public void close() throws InterruptedException {
        send("exit");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
