#!/usr/bin/env python3
"""Runs the framing suite against a WebSocket echo server and reports every case.

usage: suite.py ws://127.0.0.1:9001/ws [--cases 1.,2.1] [--markdown FILE]
Exit code 0 when no case FAILED."""

import argparse
import collections
import sys
import time
import traceback
import urllib.parse

from cases import CASES
from checks import FAILED, NON_STRICT, OK, Verdict
from wsclient import Client

GROUPS = {"1": "Framing", "2": "Pings/Pongs", "3": "Reserved bits", "4": "Opcodes", "5": "Fragmentation",
          "6": "UTF-8 handling", "7": "Close handling", "9": "Limits/Performance (sized small)", "10": "Misc"}


def run_case(url, fn):
    u = urllib.parse.urlparse(url)
    c = Client(u.hostname, u.port or 80, u.path or "/")
    try:
        note = fn(c)
        return OK, note or ""
    except Verdict as v:
        return v.status, v.reason
    except Exception as e:  # a bug in a case, not in the server: shown, counted as FAILED
        return FAILED, "case error: %s" % "".join(traceback.format_exception_only(type(e), e)).strip()
    finally:
        c.shutdown()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--cases", default="", help="comma-separated id prefixes, e.g. 1.,7.9")
    ap.add_argument("--markdown", help="write the per-group summary and every case here")
    args = ap.parse_args()
    prefixes = [p for p in args.cases.split(",") if p]
    results = []
    started = time.monotonic()
    for cid, desc, fn in CASES:
        if prefixes and not any(cid == p or cid.startswith(p if p.endswith(".") else p + ".") for p in prefixes):
            continue
        t0 = time.monotonic()
        status, reason = run_case(args.url, fn)
        results.append((cid, desc, status, reason, time.monotonic() - t0))
        print("%-8s %-10s %s%s" % (cid, status, desc, (" -- " + reason) if reason else ""), flush=True)
    total = time.monotonic() - started
    by_group = collections.OrderedDict()
    for r in results:
        by_group.setdefault(r[0].split(".")[0], collections.Counter())[r[2]] += 1
    print("\n%-4s %-34s %5s %5s %11s %7s" % ("grp", "", "cases", "OK", "NON-STRICT", "FAILED"))
    for g, counts in by_group.items():
        print("%-4s %-34s %5d %5d %11d %7d" % (g, GROUPS[g], sum(counts.values()), counts[OK], counts[NON_STRICT], counts[FAILED]))
    failed = sum(1 for r in results if r[2] == FAILED)
    print("\n%d cases in %.1f s: %d FAILED" % (len(results), total, failed))
    if args.markdown:
        write_markdown(args.markdown, results, by_group, total)
    return 1 if failed else 0


def write_markdown(path, results, by_group, total):
    with open(path, "w") as out:
        out.write("| group | | cases | OK | NON-STRICT | FAILED |\n|---|---|---|---|---|---|\n")
        for g, counts in by_group.items():
            out.write("| %s | %s | %d | %d | %d | %d |\n" % (g, GROUPS[g], sum(counts.values()), counts[OK],
                                                          counts[NON_STRICT], counts[FAILED]))
        out.write("\n%d cases in %.1f s.\n\n" % (len(results), total))
        out.write("| case | result | what | note |\n|---|---|---|---|\n")
        for cid, desc, status, reason, _ in results:
            out.write("| %s | %s | %s | %s |\n" % (cid, status, desc.replace("|", "\\|"), reason.replace("|", "\\|")))


if __name__ == "__main__":
    sys.exit(main())
