#!/usr/bin/env python3
"""An independent recomputation of the v3 evaluation's claims from its tidy output (issue 23, "Done when").

Reads RESULTS/per-target.csv.gz (checkpoint,seed,stream,target,n,method,temperature,correct,loss), the
registered claims (experiments/claims.csv, the evaluation's rows: metric accuracy or loss) and
RESULTS/claims-results.csv, and checks, with nothing but the Python standard library and none of the
project's Java code:

  1. the design: >= 64 streams and >= 128 targets per stream in every cell a claim uses, the same targets
     (stream, target id) at every length of a cell, and >= 3 seeds in every such cell at every length
     64 ... 4096, the same seeds at every length;
  2. every claim's estimate (mean over seeds and streams of the paired per-stream difference A - B, accuracy
     in points, loss in nats) within 0.5 points (0.01 nats) of claims-results.csv;
  3. every claim's unadjusted 95 % interval within 25 % of its width, by a crossed two-level bootstrap written
     from the formulas in experiments/src/main/java/.../stats/TwoLevelBootstrap.java's comment (seeds drawn
     with replacement; one draw of streams shared by the drawn seeds; each level's deviations rescaled by
     sqrt(k / (k - 1))), percentile interval.

Usage: python3 experiments/recheck/recheck_claims.py RESULTS [--claims experiments/claims.csv]
       [--resamples 4000] [--seed 1]
Prints one line per check and per claim on stdout; exits 0 when every check passes, 1 otherwise, 2 on bad
input.
"""

import argparse
import csv
import gzip
import math
import os
import random
import sys
from collections import defaultdict

LENGTHS = [64, 128, 256, 512, 1024, 2048, 4096]
MIN_STREAMS = 64
MIN_TARGETS = 128
MIN_SEEDS = 3
ESTIMATE_TOLERANCE = {"accuracy": 0.5, "loss": 0.01}
WIDTH_TOLERANCE = 0.25


def fail_input(message):
    print("recheck: " + message, file=sys.stderr)
    sys.exit(2)


def read_claims(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r for r in rows if r["metric"] in ("accuracy", "loss")]


def read_results(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {(r["id"], r["metric"]): r for r in csv.DictReader(f)}


def read_per_target(path, wanted):
    """cell -> n -> seed -> stream -> {target: (correct, loss)} for the cells in `wanted` only."""
    data = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(dict))))
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        expected = "checkpoint,seed,stream,target,n,method,temperature,correct,loss".split(",")
        if header != expected:
            fail_input(f"{path}: header must be {','.join(expected)}, got {','.join(header)}")
        for row in reader:
            cell = row[0] + "/" + row[5] + "/" + row[6]
            if cell not in wanted:
                continue
            data[cell][int(row[4])][int(row[1])][int(row[2])][int(row[3])] = (int(row[7]), float(row[8]))
    return data


def stream_means(cell_n, metric, seeds):
    """[seed][stream] per-stream means of the metric (accuracy in points), streams in sorted order."""
    out = []
    for s in seeds:
        streams = cell_n[s]
        row = []
        for t in sorted(streams):
            values = streams[t].values()
            if metric == "accuracy":
                row.append(100.0 * sum(c for c, _ in values) / len(values))
            else:
                row.append(sum(l for _, l in values) / len(values))
        out.append(row)
    return out


def crossed_interval(d, resamples, rng):
    s_count, t_count = len(d), len(d[0])
    grand = sum(map(sum, d)) / (s_count * t_count)
    seed_dev = [sum(row) / t_count - grand for row in d]
    stream_dev = [sum(d[i][j] for i in range(s_count)) / s_count - grand for j in range(t_count)]
    lam_s = math.sqrt(s_count / (s_count - 1)) if s_count > 1 else 0.0
    lam_t = math.sqrt(t_count / (t_count - 1))
    stats = []
    for _ in range(resamples):
        ms = sum(seed_dev[rng.randrange(s_count)] for _ in range(s_count)) / s_count
        mt = sum(stream_dev[rng.randrange(t_count)] for _ in range(t_count)) / t_count
        stats.append(grand + lam_s * ms + lam_t * mt)
    stats.sort()
    lo = stats[int(math.floor(0.025 * (resamples - 1)))]
    hi = stats[int(math.ceil(0.975 * (resamples - 1)))]
    return grand, lo, hi


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("results", help="folder with per-target.csv.gz and claims-results.csv")
    p.add_argument("--claims", default=os.path.join(os.path.dirname(__file__), "..", "claims.csv"))
    p.add_argument("--resamples", type=int, default=4000)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    per_target = os.path.join(a.results, "per-target.csv.gz")
    results_file = os.path.join(a.results, "claims-results.csv")
    for f in (per_target, results_file, a.claims):
        if not os.path.isfile(f):
            fail_input(f"no such file: {f}")
    if a.resamples < 100:
        fail_input(f"--resamples must be >= 100, got {a.resamples}")
    claims = read_claims(a.claims)
    results = read_results(results_file)
    cells = {c["cell_a"] for c in claims} | {c["cell_b"] for c in claims}
    data = read_per_target(per_target, cells)
    ok = True

    def report(passed, text):
        nonlocal ok
        ok &= passed
        print(("ok   " if passed else "FAIL ") + text)

    for cell in sorted(cells):
        lengths = data.get(cell, {})
        missing = [n for n in LENGTHS if n not in lengths]
        report(not missing, f"{cell}: every length 64..4096 present" + (f" (missing {missing})" if missing else ""))
        if missing:
            continue
        seed_sets = {n: sorted(lengths[n]) for n in LENGTHS}
        first = seed_sets[LENGTHS[0]]
        report(len(first) >= MIN_SEEDS and all(s == first for s in seed_sets.values()),
               f"{cell}: seeds {first} at every length (>= {MIN_SEEDS})")
        keys = None
        streams_min, targets_min, same = 10 ** 9, 10 ** 9, True
        for n in LENGTHS:
            for s in first:
                k = {(t, g) for t, targets in lengths[n][s].items() for g in targets}
                streams_min = min(streams_min, len(lengths[n][s]))
                targets_min = min(targets_min, min(len(v) for v in lengths[n][s].values()))
                keys = k if keys is None else keys
                same &= k == keys
        report(streams_min >= MIN_STREAMS and targets_min >= MIN_TARGETS and same,
               f"{cell}: >= {streams_min} streams, >= {targets_min} targets per stream, same targets at every n:"
               f" {same}")

    rng = random.Random(a.seed)
    for c in claims:
        key = (c["id"], c["metric"])
        n = int(c["n"])
        ca, cb = data.get(c["cell_a"], {}).get(n), data.get(c["cell_b"], {}).get(n)
        if ca is None or cb is None or key not in results:
            report(False, f"{c['id']} {c['metric']}: cells or reported result missing")
            continue
        seeds = sorted(set(ca) & set(cb))
        if any(sorted(ca[s]) != sorted(cb[s]) for s in seeds):
            report(False, f"{c['id']} {c['metric']}: cells {c['cell_a']} and {c['cell_b']} differ in streams")
            continue
        ma, mb = stream_means(ca, c["metric"], seeds), stream_means(cb, c["metric"], seeds)
        d = [[x - y for x, y in zip(ra, rb)] for ra, rb in zip(ma, mb)]
        est, lo, hi = crossed_interval(d, a.resamples, rng)
        r = results[key]
        r_est, r_lo, r_hi = float(r["estimate"]), float(r["lo"]), float(r["hi"])
        width = r_hi - r_lo
        est_ok = abs(est - r_est) <= ESTIMATE_TOLERANCE[c["metric"]]
        slack = WIDTH_TOLERANCE * width + 1e-6  # a zero-width interval (identical cells) is compared up to rounding
        ci_ok = abs(lo - r_lo) <= slack and abs(hi - r_hi) <= slack
        report(est_ok and ci_ok, f"{c['id']} {c['metric']} n={n} seeds={seeds}: recomputed {est:+.3f}"
               f" [{lo:+.3f}, {hi:+.3f}], reported {r_est:+.3f} [{r_lo:+.3f}, {r_hi:+.3f}]")
    print("recheck: " + ("every check passed" if ok else "some checks FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
