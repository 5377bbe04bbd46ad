#!/usr/bin/env python3
"""An independent recomputation of the long-range retrieval probe's numbers from its tidy output (issue 24).

Reads RESULTS/retrieval.csv.gz (checkpoint,seed,stream,distance,n,method,temperature,control,correct,loss,
source_mass: one row per scored character; control 1 = the run whose first copy was replaced, the floor), the
"## Cells" table of RESULTS/retrieval.md, RESULTS/retrieval-claims-results.csv and the registered retrieval claims
(experiments/claims.csv, metrics copy-accuracy and copy-loss, n the distance D), and checks, with nothing but the
Python standard library and none of the project's Java code:

  1. every row of the Cells table: seeds, streams and characters exactly; accuracy, floor and above the floor
     within 0.05 points (one printed decimal), loss, floor loss and source mass within 0.0005; the 95 % interval of
     above the floor within 25 % of its width (plus the printed rounding) of a bootstrap recomputed here, or
     "(one seed, one stream)" exactly when there is one seed and one stream; and the table lists every
     (cell, D, n) of the CSV and no other;
  2. every registered claim: when its cells are in the CSV, the reported estimate within 0.5 points (0.01 nats)
     and its unadjusted 95 % interval within 25 % of its width; otherwise an empty estimate and "not run";
  3. the design: in every (cell, D, n, seed) the streams are 0 ... T - 1, the same T for every seed, and the copy
     and control runs score the same number of characters in every stream; and, for information only, whether
     the windowed methods (window, streaming, lm-infinite) at D = 4000 are within 5 points of their floor.

Definitions mirror experiments/src/main/java/org/isentropic/experiments/eval/: RetrievalAnalysis.java (per
(cell, D, n, seed, stream) sums; a stream's above-floor value is the copy run's mean over its scored characters
minus the control run's; every figure is a mean over seeds and streams of per-stream means; claimData reads
D <= RetrievalProbe.MAX_SHORT = 48 from the window of N = 64, larger D from the window of 4096), ClaimAnalysis.java
(A minus B on the seeds both cells have, A against 0 when cell_b is "floor"; "not run" rows have empty numbers),
CellRef.java (cell = checkpoint-without-seed/method/temperature). The intervals are a crossed two-level bootstrap
written from the formulas in the comment of stats/TwoLevelBootstrap.java (seeds drawn with replacement; one draw of
streams shared by the drawn seeds; each level's deviations rescaled by sqrt(k / (k - 1)), 0 for a single seed or
stream), percentile interval with type-7 interpolation (stats/Bootstrap.quantileSorted).

Usage: python3 experiments/recheck/recheck_retrieval.py RESULTS [--claims experiments/claims.csv]
       [--resamples 20000] [--seed 1]
Prints one line per check on stdout ("ok", "FAIL" or "info"); exits 0 when every check passes, 1 otherwise, 2 on
bad input.
"""

import argparse
import csv
import gzip
import math
import os
import random
import sys
from collections import defaultdict

HEADER = "checkpoint,seed,stream,distance,n,method,temperature,control,correct,loss,source_mass".split(",")
TABLE_HEADER = ("| cell | D | n | seeds | streams | characters | accuracy % | floor % | above the floor [95 %] |"
                " loss (nats) | floor loss | source mass |")
NO_INTERVAL = "(one seed, one stream)"
MAX_SHORT, SHORT_WINDOW, WINDOW = 48, 64, 4096  # RetrievalProbe.MAX_SHORT, TrainingDefaults.TRAIN_LENGTH, WINDOW
WINDOWED_METHODS = ("window", "streaming", "lm-infinite")  # Method.id() of WINDOW, STREAMING, LM_INFINITE
FAR = 4000
POINTS_TOLERANCE, NATS_TOLERANCE, WIDTH_TOLERANCE = 0.05, 0.0005, 0.25
ESTIMATE_TOLERANCE = {"copy-accuracy": 0.5, "copy-loss": 0.01}
# Sums per stream, as RetrievalAnalysis: copy hits, loss, source mass, characters; control hits, loss, characters.
COPY_HITS, COPY_LOSS, COPY_MASS, COPY_COUNT, CONTROL_HITS, CONTROL_LOSS, CONTROL_COUNT = range(7)


def fail_input(message):
    print("recheck: " + message, file=sys.stderr)
    sys.exit(2)


def window_for(distance):
    """RetrievalProbe.windowFor: the window the claims read a distance from."""
    return SHORT_WINDOW if distance <= MAX_SHORT else WINDOW


def read_retrieval(path):
    """(cell, D, n) -> seed -> stream -> the 7 sums, in one pass over the gzip."""
    data = defaultdict(lambda: defaultdict(dict))
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != HEADER:
            fail_input(f"{path}: header must be {','.join(HEADER)}, got {header}")
        for line, row in enumerate(reader, start=2):
            try:
                if len(row) != 11 or row[7] not in ("0", "1") or row[8] not in ("0", "1"):
                    raise ValueError("11 fields with control and correct 0 or 1 expected")
                key = (row[0] + "/" + row[5] + "/" + row[6], int(row[3]), int(row[4]))
                streams = data[key][int(row[1])]
                v = streams.get(int(row[2]))
                if v is None:
                    v = streams[int(row[2])] = [0.0] * 7
                if row[7] == "1":
                    v[CONTROL_HITS] += row[8] == "1"
                    v[CONTROL_LOSS] += float(row[9])
                    v[CONTROL_COUNT] += 1
                else:
                    v[COPY_HITS] += row[8] == "1"
                    v[COPY_LOSS] += float(row[9])
                    v[COPY_MASS] += float(row[10])
                    v[COPY_COUNT] += 1
            except ValueError as e:
                fail_input(f"{path} line {line}: {e}")
    return data


def read_table(path):
    """(cell, D, n) -> the printed fields of retrieval.md's Cells table."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    try:
        start = lines.index(TABLE_HEADER) + 2
    except ValueError:
        fail_input(f"{path}: no Cells table with header {TABLE_HEADER}")
    rows = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        f = [x.strip() for x in line.strip().strip("|").split("|")]
        try:
            above, _, interval = f[8].partition(" ")
            ci = None if interval == NO_INTERVAL else tuple(float(x) for x in interval.strip("[]").split(","))
            rows[(f[0], int(f[1]), int(f[2]))] = {
                "seeds": [int(s) for s in f[3].split()], "streams": int(f[4]), "characters": int(f[5]),
                "accuracy": float(f[6]), "floor": float(f[7]), "above": float(above), "ci": ci,
                "loss": float(f[9]), "floor loss": float(f[10]), "source mass": float(f[11])}
        except (ValueError, IndexError):
            fail_input(f"{path}: cannot read table row {line!r}")
    return rows


def read_claims(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["metric"] in ESTIMATE_TOLERANCE]


def read_results(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {(r["id"], r["metric"]): r for r in csv.DictReader(f)}


def design_problems(key, seeds):
    """What breaks the design in one (cell, D, n): streams not 0..T-1, T differing by seed, copy/control counts."""
    out = []
    counts = {len(s) for s in seeds.values()}
    if len(counts) > 1:
        out.append(f"{key}: seeds have different numbers of streams {sorted(counts)}")
    for seed, streams in sorted(seeds.items()):
        if sorted(streams) != list(range(len(streams))):
            out.append(f"{key} seed {seed}: streams are {sorted(streams)}, not 0..{len(streams) - 1}")
        for t, v in sorted(streams.items()):
            if v[COPY_COUNT] != v[CONTROL_COUNT] or v[COPY_COUNT] == 0:
                out.append(f"{key} seed {seed} stream {t}: {int(v[COPY_COUNT])} characters in the copy run,"
                           f" {int(v[CONTROL_COUNT])} in the control")
    return out


def mean_of(seeds, what, count, scale=1.0):
    """RetrievalAnalysis.Cell.mean: the mean over seeds of the mean over streams of scale * sum / count."""
    per_seed = [sum(scale * v[what] / v[count] for v in streams.values()) / len(streams)
                for streams in seeds.values()]
    return sum(per_seed) / len(per_seed)


def above_floor(seeds, metric, order):
    """[seed][stream] above-floor values (PerTarget.Sums.means on RetrievalAnalysis.Cell.aboveFloor)."""
    if metric == "copy-accuracy":
        return [[100.0 * (v[COPY_HITS] - v[CONTROL_HITS]) / v[COPY_COUNT] for _, v in sorted(seeds[s].items())]
                for s in order]
    return [[(v[COPY_LOSS] - v[CONTROL_LOSS]) / v[COPY_COUNT] for _, v in sorted(seeds[s].items())] for s in order]


def quantile(sorted_values, p):
    """Type-7 quantile (Bootstrap.quantileSorted)."""
    h = (len(sorted_values) - 1) * p
    lo = int(math.floor(h))
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])


def crossed_interval(d, resamples, rng):
    """Estimate and 95 % percentile interval of mean(d) by the crossed two-level bootstrap (TwoLevelBootstrap)."""
    s_count, t_count = len(d), len(d[0])
    grand = sum(map(sum, d)) / (s_count * t_count)
    seed_dev = [sum(row) / t_count - grand for row in d]
    stream_dev = [sum(d[i][j] for i in range(s_count)) / s_count - grand for j in range(t_count)]
    lam_s = math.sqrt(s_count / (s_count - 1)) if s_count > 1 else 0.0
    lam_t = math.sqrt(t_count / (t_count - 1)) if t_count > 1 else 0.0
    if not any(seed_dev) and not any(stream_dev):
        return grand, grand, grand
    choices = rng.choices
    stats = sorted(grand + lam_s * sum(choices(seed_dev, k=s_count)) / s_count
                   + lam_t * sum(choices(stream_dev, k=t_count)) / t_count for _ in range(resamples))
    return grand, quantile(stats, 0.025), quantile(stats, 0.975)


def close(a, b, tolerance):
    return abs(a - b) <= tolerance + 1e-9


def interval_close(mine, reported, rounding):
    """Both ends within 25 % of the interval's width (the narrower of the two, so that a widened report cannot
    widen its own tolerance), plus the printed rounding."""
    slack = WIDTH_TOLERANCE * min(reported[1] - reported[0], mine[1] - mine[0]) + rounding + 1e-9
    return abs(mine[0] - reported[0]) <= slack and abs(mine[1] - reported[1]) <= slack


def check_table_row(key, seeds, row, resamples, rng):
    """Recomputes one Cells row; returns (problems, summary)."""
    order = sorted(seeds)
    above = above_floor(seeds, "copy-accuracy", order)
    s_count, t_count = len(above), len(above[0])
    mine = {"seeds": order, "streams": t_count,
            "characters": int(sum(v[COPY_COUNT] for st in seeds.values() for v in st.values())),
            "accuracy": mean_of(seeds, COPY_HITS, COPY_COUNT, 100.0),
            "floor": mean_of(seeds, CONTROL_HITS, CONTROL_COUNT, 100.0),
            "loss": mean_of(seeds, COPY_LOSS, COPY_COUNT), "floor loss": mean_of(seeds, CONTROL_LOSS, CONTROL_COUNT),
            "source mass": mean_of(seeds, COPY_MASS, COPY_COUNT)}
    ci = None
    if s_count * t_count >= 2:
        mine["above"], lo, hi = crossed_interval(above, resamples, rng)
        ci = (lo, hi)
    else:
        mine["above"] = mine["accuracy"] - mine["floor"]
    problems = [f"{k} printed {row[k]}, recomputed {mine[k]}" for k in ("seeds", "streams", "characters")
                if row[k] != mine[k]]
    for k in ("accuracy", "floor", "above", "loss", "floor loss", "source mass"):
        tolerance = POINTS_TOLERANCE if k in ("accuracy", "floor", "above") else NATS_TOLERANCE
        if not close(mine[k], row[k], tolerance):
            problems.append(f"{k} printed {row[k]}, recomputed {mine[k]:.4f}")
    if (ci is None) != (row["ci"] is None):
        problems.append(f"interval printed {row['ci'] or NO_INTERVAL}, expected "
                        + (NO_INTERVAL if ci is None else "an interval"))
    elif ci is not None and not interval_close(ci, row["ci"], POINTS_TOLERANCE):
        problems.append(f"interval printed [{row['ci'][0]}, {row['ci'][1]}], recomputed [{ci[0]:.2f}, {ci[1]:.2f}]")
    interval = NO_INTERVAL if ci is None else f"[{ci[0]:+.2f}, {ci[1]:+.2f}]"
    summary = (f"seeds {order}, {t_count} streams, {mine['characters']} characters, accuracy {mine['accuracy']:.2f}"
               f" floor {mine['floor']:.2f} above {mine['above']:+.2f} {interval}")
    return problems, summary


def check_claim(c, results, data, resamples, rng):
    """One claim against retrieval-claims-results.csv; returns (passed, text)."""
    name, n = f"{c['id']} {c['metric']} D={c['n']}", int(c["n"])
    r = results.get((c["id"], c["metric"]))
    if r is None:
        return False, f"{name}: no row in retrieval-claims-results.csv"
    floor = c["cell_b"] == "floor"
    a = data.get((c["cell_a"], n, window_for(n)))
    b = a if floor else data.get((c["cell_b"], n, window_for(n)))
    numbers = [r[k] for k in ("estimate", "lo", "hi", "lo_adj", "hi_adj")]
    if a is None or b is None:
        ok = not any(x.strip() for x in numbers) and r["verdict"] == "not run"
        found = "not run with no numbers" if ok else f"{numbers} {r['verdict']!r}, expected no numbers and 'not run'"
        return ok, f"{name}: cells not in the CSV, reported {found}"
    if not all(x.strip() for x in numbers[:3]) or r["verdict"] == "not run":
        return False, f"{name}: cells are in the CSV but the claim is reported {r['verdict']!r} {numbers}"
    seeds = sorted(set(a) & set(b))
    ma = above_floor(a, c["metric"], seeds)
    mb = [[0.0] * len(row) for row in ma] if floor else above_floor(b, c["metric"], seeds)
    if not seeds or any(len(x) != len(y) for x, y in zip(ma, mb)):
        return False, f"{name}: cells {c['cell_a']} and {c['cell_b']} share no seed or differ in streams"
    d = [[x - y for x, y in zip(ra, rb)] for ra, rb in zip(ma, mb)]
    if len(d) * len(d[0]) < 2:
        return False, f"{name}: one seed and one stream, no interval can be recomputed"
    est, lo, hi = crossed_interval(d, resamples, rng)
    r_est, r_lo, r_hi = float(r["estimate"]), float(r["lo"]), float(r["hi"])
    ok = abs(est - r_est) <= ESTIMATE_TOLERANCE[c["metric"]] and interval_close((lo, hi), (r_lo, r_hi), 1e-6)
    return ok, (f"{name} ({c['cell_a']} - {c['cell_b']}) seeds={seeds}: recomputed {est:+.3f} [{lo:+.3f}, {hi:+.3f}],"
                f" reported {r_est:+.3f} [{r_lo:+.3f}, {r_hi:+.3f}]")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("results", help="folder with retrieval.csv.gz, retrieval.md and retrieval-claims-results.csv")
    p.add_argument("--claims", default=os.path.join(os.path.dirname(__file__), "..", "claims.csv"))
    p.add_argument("--resamples", type=int, default=20000, help="as ClaimsReport.RESAMPLES (default 20000)")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    files = [os.path.join(a.results, f) for f in ("retrieval.csv.gz", "retrieval.md", "retrieval-claims-results.csv")]
    for f in files + [a.claims]:
        if not os.path.isfile(f):
            fail_input(f"no such file: {f}")
    if a.resamples < 100:
        fail_input(f"--resamples must be >= 100, got {a.resamples}")
    data = read_retrieval(files[0])
    table = read_table(files[1])
    results = read_results(files[2])
    claims = read_claims(a.claims)
    if not data:
        fail_input(f"{files[0]}: no rows")
    rng = random.Random(a.seed)
    ok = True

    def report(passed, text):
        nonlocal ok
        ok &= passed
        print(("ok   " if passed else "FAIL ") + text)

    problems = [x for key in sorted(data) for x in design_problems(key, data[key])]
    report(not problems, f"design ({len(data)} (cell, D, n)): streams 0..T-1, the same T for every seed, copy and"
           " control runs scoring the same characters per stream" + ("" if not problems else ": " + "; ".join(
               problems[:5]) + (f" ... ({len(problems)} problems)" if len(problems) > 5 else "")))
    if problems:
        print("recheck: some checks FAILED (design broken: the table and claims were not recomputed)")
        return 1
    only_csv, only_table = sorted(set(data) - set(table)), sorted(set(table) - set(data))
    report(not only_csv and not only_table, f"table: {len(table)} rows, one per (cell, D, n) of the CSV"
           + (f"; missing from the table {only_csv}" if only_csv else "")
           + (f"; not in the CSV {only_table}" if only_table else ""))
    for key in [k for k in table if k in data]:  # in the table's order
        problems, summary = check_table_row(key, data[key], table[key], a.resamples, rng)
        report(not problems, f"table {key[0]} D={key[1]} n={key[2]}: "
               + (summary if not problems else "; ".join(problems)))
    for c in claims:
        report(*check_claim(c, results, data, a.resamples, rng))
    for key in sorted(k for k in data if k[0].split("/")[1] in WINDOWED_METHODS and k[1] == FAR
                      and k[2] == window_for(FAR)):
        d = above_floor(data[key], "copy-accuracy", sorted(data[key]))
        if len(d) * len(d[0]) < 2:
            print(f"info {key[0]} D={FAR}: one seed and one stream, no interval")
            continue
        est, lo, hi = crossed_interval(d, a.resamples, rng)
        near = lo <= 0 <= hi or (lo >= -5 and hi <= 5)
        verdict = ("contains 0 or lies within 5 points of 0, as for a window that cannot see the source" if near
                   else "NOT near the floor: the windowed method seems to reach the source")
        print(f"info {key[0]} D={FAR} n={key[2]}: above the floor {est:+.2f} [{lo:+.2f}, {hi:+.2f}] points: {verdict}")
    print("recheck: " + ("every check passed" if ok else "some checks FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
