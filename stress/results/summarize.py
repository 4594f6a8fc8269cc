#!/usr/bin/env python3
"""Markdown summary of a `stresslab run --repeat N` records folder: one row per check, detection rate and time to
detection (reproductions), runs and work (holds). Usage: summarize.py RECORDS_DIR > summary.md"""
import glob
import json
import os
import sys

ORDER = ["KAGENT-1", "KAGENT-2", "MOLECULE-1", "MOLECULE-2", "ARCHON-1", "ORCH-1", "ORCH-2", "TAOS-1", "TAOS-2",
         "TAOS-3"]


def main(d):
    recs = [json.load(open(f)) for f in sorted(glob.glob(os.path.join(d, "*.json")))]
    recs.sort(key=lambda r: (ORDER.index(r["bug"]) if r["bug"] in ORDER else 99, r["expect"] != "reproduce",
                             r["tool"], r["check"], r["variant"]))
    print("| bug | variant | tool | check | verdict | detected | TTD p50 | TTD p90 | TTD max | run ms (each) | work (all runs) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in recs:
        rep = r.get("repeat") or {}
        ttd = rep.get("timeToDetectionMillis") or {}
        runs = rep.get("runs", 1)
        det = rep.get("detected", "")
        rate = f"{det}/{runs}" if rep else ""
        flaky = " FLAKY" if r["expect"] == "reproduce" and rep and 0 < det < runs else ""
        p = lambda k: f"{ttd[k]} ms" if k in ttd else ""
        print(f"| {r['bug']} | {r['variant']} | {r['tool']} | {r['check']} | {r['verdict']}{flaky} | "
              f"{rate if r['expect'] == 'reproduce' else ('bug seen ' + rate if rep else '')} | {p('p50')} | {p('p90')} | {p('max')} | "
              f"{' '.join(str(x) for x in rep.get('runMillis', []))} | {r['operations']:,} ops |")


if __name__ == "__main__":
    main(sys.argv[1])
