"""Renders bench/proxy.sh's results as the "Proxied request/reply" section of docs/BENCHMARKS.md.

    python3 bench/proxy/section.py RESULTS_DIR SECTION_MD BENCHMARKS_MD
"""
import json
import os
import subprocess
import sys

TITLE = "## Proxied request/reply (event proxy)"


def main():
    results, section_path, doc_path = sys.argv[1:]
    rows = [json.loads(line) for line in open(os.path.join(results, "results.jsonl")) if line.strip()]
    machine = [line for line in open(os.path.join(results, "machine.txt")).read().split("\n") if line]
    commit = os.environ.get("BENCH_COMMIT") or subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(doc_path)), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    lines = [f"| wshub-proxied | {r['conns']} x {r['inflight']} | {r['rps']:,} | {r['per_server_cpu_s']:,} | "
             f"{r['p50_us'] / 1000:.1f} ms | {r['p99_us'] / 1000:.1f} ms | {r['p999_us'] / 1000:.1f} ms | {r['errors']} |"
             for r in rows]
    text = f"""{TITLE}

`bench/proxy.sh` on commit {commit}: the standalone jar with `--proxy-url` in front of a local Node backend
(`bench/proxy/echo-backend.js`, node:http, checks every HMAC signature), driven by the load generator's echo
scenario, so every request crosses wshub -> HTTP backend -> wshub. A connection's requests complete in order, one
backend call at a time per connection (docs/backend.md), so the requests in flight per connection queue in wshub.

| server | conns x in flight | requests/s | requests / server CPU-s | p50 | p99 | p99.9 | 504s (5 s timeout, warm-up included) |
|---|---|---|---|---|---|---|---|
{chr(10).join(lines)}

**The machine was busy with other engineers' builds and tests during this run** ({'; '.join(machine)};
2 cores), so these figures show the path working under heavy contention, not its ceiling. wshub was pinned to
core 0; the backend and the load generator shared core 1.
"""
    notes = os.path.join(results, "notes.md")
    if os.path.exists(notes):
        text += "\n" + open(notes).read()
    with open(section_path, "w") as f:
        f.write(text)
    doc = open(doc_path).read()
    start = doc.find(TITLE)
    if start >= 0:
        end = doc.find("\n## ", start + 1)
        doc = doc[:start] + text.rstrip("\n") + ("\n" + doc[end:] if end >= 0 else "\n")
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    with open(doc_path, "w") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
