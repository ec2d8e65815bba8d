#!/usr/bin/env python3
"""Medians, spreads and a fair verdict for the benchmark scripts (scripts/bench-lib.sh calls this).

Every scripts/bench-*.sh that compares two things measures both the same number of times, interleaved
(A, B, A, B, ...), and reports each side as "median (min-max, n runs)". Two sides are called at "parity" when a
two-sided Mann-Whitney rank-sum test cannot tell them apart at the 5 % level: with few runs on a loaded machine
that is the honest answer, and it says so instead of quoting a ratio as if it were a result.

  bench_stats.py summary FILE [--unit U]              one sample per line -> "median U (min-max, n=N)"
  bench_stats.py compare A_FILE B_FILE --a NAME --b NAME [--unit U] [--lower-is-better]

Standard library only, so it runs wherever python3 does.
"""
import argparse
import math
import sys
from statistics import median


def read(path):
    with open(path) as f:
        values = [float(line) for line in f if line.strip()]
    if not values:
        sys.exit(f"bench_stats: no samples in {path} (did every run fail?)")
    return values


def fmt(x):
    """Three significant digits, thousands separated: 16,053 / 1.07 / 0.0123."""
    if x == 0 or not math.isfinite(x):
        return str(x)
    digits = max(0, 2 - int(math.floor(math.log10(abs(x)))))
    return f"{x:,.{digits}f}"


def summary(values, unit=""):
    u = f" {unit}" if unit else ""
    return f"{fmt(median(values))}{u} ({fmt(min(values))}\u2013{fmt(max(values))}, n={len(values)})"


def mann_whitney_p(a, b):
    """Two-sided p-value of the Mann-Whitney U test: exact when there are no ties, else the normal approximation
    with tie correction and continuity correction."""
    m, n = len(a), len(b)
    pooled = sorted((v, i) for i, v in enumerate(a + b))
    ranks = [0.0] * (m + n)
    ties = []
    i = 0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[pooled[k][1]] = (i + j) / 2 + 1
        ties.append(j - i + 1)
        i = j + 1
    u = sum(ranks[:m]) - m * (m + 1) / 2
    u = min(u, m * n - u)
    if all(t == 1 for t in ties):
        # exact null distribution of U by counting: ways[k] = arrangements with U == k
        ways = [[[0] * (m * n + 1) for _ in range(n + 1)] for _ in range(m + 1)]
        for i in range(m + 1):
            for j in range(n + 1):
                if i == 0 or j == 0:
                    ways[i][j][0] = 1
                    continue
                for k in range(i * j + 1):
                    ways[i][j][k] = (ways[i - 1][j][k - j] if k >= j else 0) + ways[i][j - 1][k]
        total = math.comb(m + n, m)
        return min(1.0, 2 * sum(ways[m][n][: int(u) + 1]) / total)
    mean = m * n / 2
    var = m * n / 12 * ((m + n + 1) - sum(t ** 3 - t for t in ties) / ((m + n) * (m + n - 1)))
    if var == 0:
        return 1.0
    z = (abs(u - mean) - 0.5) / math.sqrt(var)
    return min(1.0, math.erfc(max(z, 0) / math.sqrt(2)))


def compare(a, b, name_a, name_b, unit="", lower_is_better=False):
    """One line: both sides' medians and spreads, the ratio of medians, and the verdict."""
    ratio = median(a) / median(b)
    p = mann_whitney_p(a, b)
    if p >= 0.05:
        verdict = f"parity (within noise: Mann-Whitney p = {p:.2f})"
    else:
        a_wins = (ratio < 1) if lower_is_better else (ratio > 1)
        verdict = f"{name_a if a_wins else name_b} ahead by {max(ratio, 1 / ratio):.2f}x (Mann-Whitney p = {p:.3f})"
    return (f"{name_a} {summary(a, unit)} vs {name_b} {summary(b, unit)}: "
            f"ratio of medians {ratio:.2f}x; {verdict}")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("summary")
    s.add_argument("file")
    s.add_argument("--unit", default="")
    c = sub.add_parser("compare")
    c.add_argument("file_a")
    c.add_argument("file_b")
    c.add_argument("--a", default="A")
    c.add_argument("--b", default="B")
    c.add_argument("--unit", default="")
    c.add_argument("--lower-is-better", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "summary":
        print(summary(read(args.file), args.unit))
    else:
        a, b = read(args.file_a), read(args.file_b)
        if len(a) != len(b):
            sys.exit(f"bench_stats: {len(a)} runs of {args.a} but {len(b)} of {args.b}: compare equal numbers of runs")
        print(compare(a, b, args.a, args.b, args.unit, args.lower_is_better))


if __name__ == "__main__":
    main(sys.argv[1:])
