package io.wshub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Runs one scenario against one server: spawns {@link Worker} processes (each stays well under
 * the 20,000 open files a process may have), drives them, samples the server's memory and
 * appends one JSON object per measurement to {@code --out}.
 *
 * <pre>
 * java -jar loadgen.jar --scenario connect|echo|broadcast|cluster --server NAME --url ws://127.0.0.1:PORT/ws
 *      [--proto wshub|socketio] [--secret S] [--pid SERVER_PID] [--out results.jsonl] ...
 * </pre>
 */
public final class Coordinator {
    private final Args args;
    private final String server;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final List<Integer> shares = new ArrayList<>();
    /**
     * The process that publishes, with no subscribers of its own: on a subscribers' event loop
     * the publisher's replies would wait behind the deliveries that loop is reading, and a
     * publisher with a few messages unanswered would measure the load generator instead.
     */
    private WorkerProcess publisher;
    private final int srcBase;
    /** Workers compile with C1 only, unless the scenario warms up long enough for C2 (see {@link WorkerProcess}). */
    private final boolean c1Only;

    private Coordinator(Args args) {
        this.args = args;
        this.server = args.required("server");
        this.srcBase = args.integer("src-base", 2);
        this.c1Only = !args.str("worker-jit", "echo".equals(args.required("scenario")) ? "c2" : "c1").equals("c2");
    }

    public static void main(String[] argv) throws Exception {
        Coordinator coordinator = new Coordinator(new Args(argv));
        try {
            coordinator.run();
        } finally {
            coordinator.closeWorkers();
        }
    }

    private void run() throws Exception {
        String scenario = args.required("scenario");
        switch (scenario) {
            case "connect":
                connect();
                break;
            case "echo":
                echo();
                break;
            case "broadcast":
                broadcast();
                break;
            case "cluster":
                cluster();
                break;
            default:
                throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    // ---- scenarios ----

    private void connect() throws Exception {
        int conns = args.integer("conns", 1000);
        long pid = args.integer("pid", 0);
        spawnWorkers(conns, List.of(args.required("url")), 1);
        int warm = args.integer("warm-conns", 0);
        if (warm > 0) {
            // Warms the JITs of both sides on handshakes; these connections are closed again.
            connectAll(warm);
            for (WorkerProcess worker : workers) {
                worker.call("close", 60_000);
            }
        }
        ServerMemory before = pid > 0 ? ServerMemory.sample(pid) : null;
        Map<String, Long> opened = connectAll(conns);
        Thread.sleep(args.integer("settle-ms", 3000));
        ServerMemory after = pid > 0 ? ServerMemory.sample(pid) : null;
        Map<String, Long> stats = sumAll("stats", 30_000, "drops", "errors");
        Map<String, Object> r = result("connect");
        r.put("conns", conns);
        r.put("ok", opened.get("ok"));
        r.put("failed", opened.get("failed") + opened.get("pending"));
        r.put("handshakes_per_s", perSecond(opened.get("ok"), opened.get("end") - opened.get("start")));
        if (before != null) {
            long ok = Math.max(1, opened.get("ok"));
            r.put("rss_before_kib", before.rssKib);
            r.put("rss_after_kib", after.rssKib);
            r.put("rss_per_conn_b", (after.rssKib - before.rssKib) * 1024 / ok);
            if (before.heapKib >= 0) {
                r.put("heap_before_kib", before.heapKib);
                r.put("heap_after_kib", after.heapKib);
                r.put("heap_per_conn_b", (after.heapKib - before.heapKib) * 1024 / ok);
            }
        }
        r.put("drops", stats.get("drops"));
        r.put("errors", stats.get("errors"));
        emit(r);
    }

    private void echo() throws Exception {
        int conns = args.integer("conns", 100);
        int inflight = args.integer("inflight", 8);
        int warmup = args.integer("warmup-ms", 3000);
        int measure = args.integer("measure-ms", 10_000);
        Map<String, Long> opened = openConnections(conns, List.of(args.required("url")));
        for (int w = 0; w < workers.size(); w++) {
            workers.get(w).send("echo " + shares.get(w) + " " + inflight + " " + warmup + " " + measure + " "
                    + args.integer("payload", 64));
        }
        long pid = args.integer("pid", 0);
        Thread.sleep(warmup);
        long cpuBefore = ProcessCpu.millis(pid);
        long loadgenBefore = loadgenCpuMillis();
        Thread.sleep(measure);
        long cpuUsed = ProcessCpu.millis(pid) - cpuBefore;
        long loadgenUsed = loadgenCpuMillis() - loadgenBefore;
        long count = 0;
        long micros = 0;
        long errors = 0;
        long timeouts = 0;
        Histogram hist = Hist.create();
        for (WorkerProcess worker : workers) {
            Map<String, String> answer = worker.await(60_000L);
            count += Long.parseLong(answer.get("count"));
            micros = Math.max(micros, Long.parseLong(answer.get("micros")));
            errors += Long.parseLong(answer.get("errors"));
            timeouts += Long.parseLong(answer.get("timeouts"));
            hist.add(Hist.decode(answer.get("hist")));
        }
        Map<String, Long> stats = sumAll("stats", 30_000, "drops", "errors");
        Map<String, Object> r = result("echo");
        r.put("conns", opened.get("ok"));
        r.put("failed", opened.get("failed") + opened.get("pending"));
        r.put("inflight", inflight);
        r.put("requests", count);
        r.put("rps", perSecond(count, micros));
        cpu(r, pid > 0 ? cpuUsed : -1, micros, count);
        r.put("loadgen_cpu_pct", Math.round(loadgenUsed * 100_000.0 / Math.max(1, micros)));
        latency(r, hist);
        r.put("errors", errors);
        r.put("timeouts", timeouts);
        r.put("drops", stats.get("drops"));
        emit(r);
    }

    private void broadcast() throws Exception {
        int subs = args.integer("subs", 1000);
        Map<String, Long> opened = openConnections(subs, List.of(args.required("url")));
        long joined = join();
        String[] modes = args.str("modes", "ws").split(",");
        warmUp(modes, opened, joined);
        for (String mode : modes) {
            publishRound("broadcast", mode, args.integer("messages", 100), 0, 0, opened, joined, true);
        }
    }

    /**
     * Warm-up rounds of {@code --warm-messages} in every measured mode, repeated until
     * {@code --warm-ms} has passed (at least once). A JVM keeps compiling for tens of seconds
     * under fan-out (on one core its compiler shares the core with the event loop), so a
     * warm-up counted in messages measures its JIT instead of its steady state; warming
     * every mode keeps the first measured mode from paying for the code paths of the others.
     */
    private void warmUp(String[] modes, Map<String, Long> opened, long joined) throws Exception {
        int messages = args.integer("warm-messages", 10);
        long until = System.nanoTime() + args.integer("warm-ms", 0) * 1_000_000L;
        do {
            for (String mode : modes) {
                publishRound("warmup", mode, messages, 0, 0, opened, joined, false);
            }
        } while (messages > 0 && System.nanoTime() < until); // rounds of no messages would never warm
    }

    /** Subscribers split over two nodes; sends enter through node A's HTTP API. */
    private void cluster() throws Exception {
        int subs = args.integer("subs", 1000);
        Map<String, Long> opened = openConnections(subs, List.of(args.required("url"), args.required("url2")),
                2);
        long joined = join();
        int messages = args.integer("messages", 100);
        publishRound("warmup", "http", args.integer("warm-messages", 10), 0, 0, opened, joined, false);
        publishRound("cluster-broadcast", "http", messages, 0, 0, opened, joined, true);
        // Users of worker 1 are connected to node B only: every user-send crosses the broker.
        int from = shares.get(0);
        publishRound("cluster-user", "httpuser", messages, from, from + shares.get(1), opened, joined, true);
    }

    // ---- steps ----

    private Map<String, Long> openConnections(int conns, List<String> urls) throws Exception {
        return openConnections(conns, urls, 1);
    }

    private Map<String, Long> openConnections(int conns, List<String> urls, int minProcs) throws Exception {
        spawnWorkers(conns, urls, minProcs);
        return connectAll(conns);
    }

    private void spawnWorkers(int conns, List<String> urls, int minProcs) throws Exception {
        int perProc = args.integer("per-proc", 6000);
        int procs = Math.max(minProcs, (conns + perProc - 1) / perProc);
        int base = 0;
        for (int w = 0; w < procs; w++) {
            int share = conns / procs + (w < conns % procs ? 1 : 0);
            String ips = "127.0.0." + ip(w * 2) + ",127.0.0." + ip(w * 2 + 1);
            List<String> workerArgs = List.of("--url", urls.get(w % urls.size()), "--proto",
                    args.str("proto", "wshub"), "--secret", args.str("secret", "wshub-bench-secret-0123456789abcdef"),
                    "--src-ips", ips, "--base", Integer.toString(base));
            workers.add(new WorkerProcess(w, workerArgs, args.str("worker-heap", "768m"), c1Only));
            shares.add(share);
            base += share;
        }
    }

    /** The publishing process, started on first use next to the subscribers' workers. */
    private WorkerProcess publisher() throws IOException {
        if (publisher == null) {
            int id = workers.size();
            String ip = "127.0.0." + ip(id * 2);
            publisher = new WorkerProcess(id, List.of("--url", args.required("url"), "--proto",
                    args.str("proto", "wshub"), "--secret", args.str("secret", "wshub-bench-secret-0123456789abcdef"),
                    "--src-ips", ip), args.str("worker-heap", "768m"), c1Only);
        }
        return publisher;
    }

    /** Every worker process: the subscribers' and the publisher's. */
    private List<WorkerProcess> processes() {
        List<WorkerProcess> all = new ArrayList<>(workers);
        if (publisher != null) {
            all.add(publisher);
        }
        return all;
    }

    /** Opens {@code conns} connections spread over the workers like their shares. */
    private Map<String, Long> connectAll(int conns) throws Exception {
        int procs = workers.size();
        int shareSum = shares.stream().mapToInt(Integer::intValue).sum();
        long timeout = args.integer("connect-timeout-ms", 120_000);
        for (int w = 0; w < procs; w++) {
            long share = (long) conns * shares.get(w) / shareSum;
            workers.get(w).send("connect " + share + " " + args.integer("concurrency", 100) + " " + timeout);
        }
        Map<String, Long> total = new LinkedHashMap<>(Map.of("ok", 0L, "failed", 0L, "pending", 0L,
                "start", Long.MAX_VALUE, "end", 0L));
        for (WorkerProcess worker : workers) {
            Map<String, String> answer = worker.await(timeout + 30_000);
            total.merge("ok", Long.parseLong(answer.get("ok")), Long::sum);
            total.merge("failed", Long.parseLong(answer.get("failed")), Long::sum);
            total.merge("pending", Long.parseLong(answer.get("pending")), Long::sum);
            total.merge("start", Long.parseLong(answer.get("start")), Math::min);
            total.merge("end", Long.parseLong(answer.get("end")), Math::max);
            if (answer.containsKey("firstFailure")) {
                System.err.println("first connect failure: " + answer.get("firstFailure"));
            }
        }
        System.err.println(server + ": connected " + total);
        return total;
    }

    private long join() throws Exception {
        long timeout = args.integer("join-timeout-ms", 60_000);
        for (WorkerProcess worker : workers) {
            worker.send("join room " + timeout);
        }
        long ok = 0;
        for (WorkerProcess worker : workers) {
            Map<String, String> answer = worker.await(timeout + 30_000);
            ok += Long.parseLong(answer.get("ok"));
        }
        System.err.println(server + ": joined " + ok);
        return ok;
    }

    private void publishRound(String name, String mode, int messages, int userFrom, int userTo,
                              Map<String, Long> opened, long joined, boolean report) throws Exception {
        Map<String, Long> before = sumAll("stats", 30_000, "drops", "errors");
        for (WorkerProcess worker : workers) {
            worker.call("arm", 30_000);
        }
        long timeout = args.integer("publish-timeout-ms", 60_000);
        int window = args.integer("window", 4);
        String publish = "publish " + mode + " room " + messages + " " + window + " " + timeout;
        if (!mode.equals("ws")) {
            publish += " " + args.required("api") + " " + args.required("api-key") + " " + userFrom + " " + userTo;
        }
        long pid = args.integer("pid", 0);
        long cpuBefore = ProcessCpu.millis(pid);
        long loadgenBefore = loadgenCpuMillis();
        // Cluster runs: the CPU of the wshub nodes and of the engine (Redis shards, nats-server).
        long nodesBefore = ProcessCpu.millis(args.str("node-pids", ""));
        long engineBefore = ProcessCpu.millis(args.str("engine-pids", ""));
        Map<String, String> published = publisher().call(publish, timeout + 30_000);
        boolean toUsers = mode.equals("httpuser");
        long expected = 0;
        for (int w = 0; w < workers.size(); w++) {
            long share = toUsers ? (w == 1 ? messages : 0) : (long) shares.get(w) * messages;
            expected += share;
            workers.get(w).send("collect " + share + " " + args.integer("collect-timeout-ms", 60_000));
        }
        long delivered = 0;
        long last = 0;
        Histogram hist = Hist.create();
        List<Long> perWorker = new ArrayList<>();
        for (WorkerProcess worker : workers) {
            Map<String, String> answer = worker.await(args.integer("collect-timeout-ms", 60_000) + 30_000L);
            long count = Long.parseLong(answer.get("count"));
            perWorker.add(count);
            delivered += count;
            last = Math.max(last, Long.parseLong(answer.get("last")));
            hist.add(Hist.decode(answer.get("hist")));
        }
        long cpuUsed = ProcessCpu.millis(pid) - cpuBefore;
        long loadgenUsed = loadgenCpuMillis() - loadgenBefore;
        long nodesUsed = ProcessCpu.millis(args.str("node-pids", "")) - nodesBefore;
        long engineUsed = ProcessCpu.millis(args.str("engine-pids", "")) - engineBefore;
        Map<String, Long> after = sumAll("stats", 30_000, "drops", "errors");
        System.err.println(server + ": " + name + "/" + mode + " delivered " + delivered + " of " + expected
                + " " + published);
        if (!report) {
            return;
        }
        long start = Long.parseLong(published.get("start"));
        Map<String, Object> r = result(name);
        r.put("mode", mode);
        r.put("subs", opened.get("ok"));
        r.put("failed", opened.get("failed") + opened.get("pending"));
        r.put("joined", joined);
        r.put("messages", messages);
        r.put("window", window);
        r.put("acked", Long.parseLong(published.get("acked")));
        r.put("publish_errors", Long.parseLong(published.get("errors")) + (published.containsKey("failure") ? 1 : 0));
        r.put("expected", expected);
        r.put("delivered", delivered);
        r.put("delivered_per_worker", perWorker.toString().replace(" ", ""));
        r.put("missing", expected - delivered);
        r.put("deliveries_per_s", perSecond(delivered, last - start));
        cpu(r, pid > 0 ? cpuUsed : -1, last - start, delivered);
        if (last > start) {
            r.put("loadgen_cpu_pct", Math.round(loadgenUsed * 100_000.0 / (last - start)));
        }
        if (delivered > 0) {
            // The receive cost itself (µs of worker CPU per delivery = ms per 1,000): unlike the
            // rates, it tells whether the load generator or the server was the limit.
            r.put("loadgen_us_per_delivery", Math.round(loadgenUsed * 10_000.0 / delivered) / 10.0);
        }
        if (nodesBefore >= 0 && delivered > 0) {
            r.put("nodes_cpu_ms", nodesUsed);
            r.put("nodes_us_per_delivery", Math.round(nodesUsed * 10_000.0 / delivered) / 10.0);
        }
        if (engineBefore >= 0 && delivered > 0) {
            r.put("engine_cpu_ms", engineUsed);
            r.put("engine_us_per_delivery", Math.round(engineUsed * 10_000.0 / delivered) / 10.0);
        }
        latency(r, hist);
        r.put("errors", after.get("errors") - before.get("errors"));
        r.put("drops", after.get("drops") - before.get("drops"));
        emit(r);
    }

    private Map<String, Long> sumAll(String command, long timeoutMillis, String... keys) throws Exception {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (String key : keys) {
            sums.put(key, 0L);
        }
        for (WorkerProcess worker : processes()) {
            Map<String, String> answer = worker.call(command, timeoutMillis);
            for (String key : keys) {
                sums.merge(key, Long.parseLong(answer.get(key)), Long::sum);
            }
        }
        return sums;
    }

    /** CPU the worker processes have used so far (the coordinator itself only waits). */
    private long loadgenCpuMillis() {
        long sum = 0;
        for (WorkerProcess worker : processes()) {
            sum += Math.max(0, ProcessCpu.millis(worker.pid()));
        }
        return sum;
    }

    private void closeWorkers() {
        for (WorkerProcess worker : processes()) {
            try {
                worker.call("close", 30_000);
            } catch (Exception e) {
                System.err.println("closing worker: " + e);
            }
            try {
                worker.close();
            } catch (Exception e) {
                System.err.println("stopping worker: " + e);
            }
        }
    }

    // ---- output ----

    private String ip(int offset) {
        return Integer.toString(2 + (srcBase - 2 + offset) % 250);
    }

    private Map<String, Object> result(String scenario) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("server", server);
        r.put("scenario", scenario);
        String rep = args.str("rep", null);
        if (rep != null) {
            r.put("rep", Integer.parseInt(rep)); // one pass of several (bench/run.sh), the report takes the median
        }
        return r;
    }

    private static long perSecond(long count, long micros) {
        return micros <= 0 ? 0 : Math.round(count * 1_000_000.0 / micros);
    }

    /** Server CPU over the measured window and work done per server CPU-second. */
    private static void cpu(Map<String, Object> r, long cpuMillis, long windowMicros, long work) {
        if (cpuMillis < 0 || windowMicros <= 0) {
            return;
        }
        r.put("server_cpu_pct", Math.round(cpuMillis * 100_000.0 / windowMicros));
        r.put("per_server_cpu_s", cpuMillis == 0 ? 0 : Math.round(work * 1000.0 / cpuMillis));
    }

    private static void latency(Map<String, Object> r, Histogram hist) {
        r.put("p50_us", hist.getValueAtPercentile(50));
        r.put("p99_us", hist.getValueAtPercentile(99));
        r.put("p999_us", hist.getValueAtPercentile(99.9));
        r.put("max_us", hist.getMaxValue());
    }

    private void emit(Map<String, Object> r) throws IOException {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> e : r.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            json.append(v instanceof Number ? v.toString() : "\"" + v + "\"");
        }
        String line = json.append('}').toString();
        System.out.println(line);
        String out = args.str("out", null);
        if (out != null) {
            Files.writeString(Path.of(out), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }
}
