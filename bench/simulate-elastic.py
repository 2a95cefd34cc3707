#!/usr/bin/env python3
"""Reads the JSON reports of bench/simulate-replays.sh (one per replay) and prints every goal of the
elastic-pool comparison, met or missed, with its figures: the grids of the reactive rule and of
Flowcast's planner, the best setting of each, flowcast against reactive-autoscale, static-peak and
the oracle, a Wilcoxon signed-rank test of SLA misses over the replays, and the ablation.
Given more than one folder, their reports add up: strategies to the same replay (same log, window,
density, seed, lead times and pools), so that a grid can grow without running again what did not
change, and other replays to the comparison; the strategies that every replay has are compared."""
import glob
import itertools
import json
import math
import os
import sys


def load(directory):
    replays = []
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        try:
            with open(path) as f:
                report = json.load(f)
        except (OSError, ValueError):
            print(f"skipped {os.path.basename(path)}: not a finished report", file=sys.stderr)
            continue
        replays.append((os.path.basename(path)[:-5], report))
    return replays


# what makes two reports the same replay; the strategies run and their settings may differ
SAME_REPLAY = ("log", "series", "requests", "speedup", "seed", "leadTimes", "warmUp", "logFrom", "elasticPools")


def merged(directories, drop_replays=False):
    """The replays of every folder: reports of one replay in several folders (the same log, window,
    density, seed, lead times and pools; say, a later run of other reactive settings) add up to one,
    and reports of other replays (say, another seed) join. Compared are the strategies that every
    replay has; the others are named and left out. With drop_replays, the replays that lack a
    strategy are left out instead (say, a run still going)."""
    replays = {}
    for directory in directories:
        for name, report in load(directory):
            if name not in replays:
                replays[name] = report
                continue
            first = replays[name]
            differ = [k for k in SAME_REPLAY if first["replay"].get(k) != report["replay"].get(k)]
            if differ:
                raise SystemExit(f"{directory}/{name}.json is not the same replay as an earlier folder's "
                                 f"{name}.json: they differ in {', '.join(differ)}")
            for label, figures in report["strategies"].items():
                first["strategies"].setdefault(label, figures)
    labels = []
    for report in replays.values():
        labels += [l for l in report["strategies"] if l not in labels]
    if drop_replays:
        for name in [n for n, r in replays.items() if any(l not in r["strategies"] for l in labels)]:
            missing = [l for l in labels if l not in replays[name]["strategies"]]
            print(f"left out {name}: no report of {', '.join(missing)}", file=sys.stderr)
            del replays[name]
    common = [l for l in labels if all(l in r["strategies"] for r in replays.values())]
    for label in labels:
        if label not in common:
            lacking = [n for n, r in replays.items() if label not in r["strategies"]]
            print(f"left out {label}: not run on {', '.join(sorted(lacking))}", file=sys.stderr)
    for report in replays.values():
        report["strategies"] = {l: report["strategies"][l] for l in common}
    return sorted(replays.items())


def total(replays, label, field):
    return sum(r["strategies"][label][field] for _, r in replays)


def best(replays, prefix):
    """The setting with the fewest SLA misses over all replays, the cheaper on a tie."""
    labels = [l for l in replays[0][1]["strategies"] if l == prefix or l.startswith(prefix + " ")]
    return min(labels, key=lambda l: (total(replays, l, "slaMisses"), total(replays, l, "cost"))), labels


def wilcoxon(x, y):
    """Two-sided Wilcoxon signed-rank test of x - y: zero differences dropped, ties ranked on average;
    exact (every sign assignment) up to 20 non-zero pairs, the normal approximation beyond."""
    d = [a - b for a, b in zip(x, y) if a != b]
    n = len(d)
    if n == 0:
        return 0, 1.0, 0
    order = sorted(range(n), key=lambda i: abs(d[i]))
    ranks = [0.0] * n
    i = 0
    while i < n:
        j = i
        while j + 1 < n and abs(d[order[j + 1]]) == abs(d[order[i]]):
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    w_plus = sum(r for r, v in zip(ranks, d) if v > 0)
    mean = sum(ranks) / 2
    if n <= 20:
        extreme = 0
        observed = abs(w_plus - mean)
        for signs in itertools.product((0, 1), repeat=n):
            w = sum(r for r, s in zip(ranks, signs) if s)
            if abs(w - mean) >= observed - 1e-9:
                extreme += 1
        return w_plus, extreme / 2 ** n, n
    sd = math.sqrt(sum(r * r for r in ranks) / 4)
    z = (abs(w_plus - mean) - 0.5) / sd
    return w_plus, math.erfc(z / math.sqrt(2)), n


def verdict(met):
    return "MET   " if met else "MISSED"


def print_miss_causes(replays, labels):
    """Why the strategies missed, summed over the replays (reports of a simulate that counts causes)."""
    counted = {}
    for _, r in replays:
        for l in labels:
            causes = (r["strategies"][l].get("elastic") or {}).get("missCauses")
            if causes is None:
                return
            for cause, n in causes.items():
                counted.setdefault(l, {}).setdefault(cause, 0)
                counted[l][cause] += n
    causes = []
    for by_cause in counted.values():
        causes += [c for c in by_cause if c not in causes]
    if not causes:
        return
    print("\nwhy the SLA misses (see MissCauses):")
    print("cause".ljust(38) + "".join(l.replace("reactive-autoscale", "reactive")[:19].rjust(20) for l in labels))
    for cause in causes:
        print(cause.ljust(38) + "".join(str(counted.get(l, {}).get(cause, 0)).rjust(20) for l in labels))


def main(directories, drop_replays=False):
    replays = merged(directories, drop_replays)
    if not replays:
        print("no finished replays in " + " ".join(directories))
        return 1
    print(f"{len(replays)} replays: " + ", ".join(name for name, _ in replays))
    first = replays[0][1]["replay"]
    print(f"lead times {first.get('leadTimes')}; warm-up {first.get('warmUp', 'PT0S')}; "
          f"requests per replay {first.get('requests')}")
    labels = list(replays[0][1]["strategies"])
    print("\nper replay, SLA misses / cost (USD):")
    print("replay".ljust(22) + "".join(l.replace("reactive-autoscale", "reactive")[:25].rjust(26) for l in labels))
    for name, r in replays:
        print(name.ljust(22) + "".join(
            f"{r['strategies'][l]['slaMisses']} / {r['strategies'][l]['cost']:.4f}".rjust(26) for l in labels))
    print("\nover all replays:")
    requests = sum(len(r["strategies"][labels[0]]["compositions"]) and r["replay"]["requests"] for _, r in replays)
    for l in labels:
        lost = total(replays, l, "lost")
        print(f"  {l:34s} {total(replays, l, 'slaMisses'):5d} misses of {requests}  {total(replays, l, 'cost'):8.4f} USD"
              + (f"  {lost} lost" if lost else ""))
    print_miss_causes(replays, labels)
    compared = ("reactive-autoscale", "flowcast")
    if not all(any(l == c or l.startswith(c + " ") for l in labels) for c in compared):
        print("\nno goals: they compare flowcast with reactive-autoscale, and these reports lack one of them "
              "(merge in the reports of a run that has it)")
        return 0
    reactive, reactive_grid = best(replays, "reactive-autoscale")
    flowcast, flowcast_grid = best(replays, "flowcast")
    print(f"\nreactive-autoscale grid: {len(reactive_grid)} settings; best (fewest misses, then cheapest): {reactive}")
    print(f"flowcast grid: {len(flowcast_grid)} settings; best: {flowcast}")
    f_miss, f_cost = total(replays, flowcast, "slaMisses"), total(replays, flowcast, "cost")
    r_miss, r_cost = total(replays, reactive, "slaMisses"), total(replays, reactive, "cost")
    print()
    fewer = 1 - f_miss / r_miss if r_miss else 0.0
    ratio = f_cost / r_cost if r_cost else float("nan")
    print(f"{verdict(fewer >= 0.5 and ratio <= 1.05)} flowcast >= 50% fewer SLA misses than reactive-autoscale at "
          f"<= 1.05x its cost: {f_miss} vs {r_miss} misses ({fewer * 100:+.1f}% fewer), cost {ratio:.3f}x")
    # the goal asks it of flowcast tuned as the reactive rule is: any setting of its grid may meet it
    meeting = [l for l in flowcast_grid
               if r_miss and 1 - total(replays, l, "slaMisses") / r_miss >= 0.5
               and total(replays, l, "cost") <= 1.05 * r_cost]
    print("         flowcast settings that meet it: " + (", ".join(meeting) if meeting else "none"))
    # every reactive setting, so that a cheaper or dearer one cannot hide
    for l in reactive_grid:
        m, c = total(replays, l, "slaMisses"), total(replays, l, "cost")
        print(f"         against {l}: {f_miss} vs {m} misses, cost {f_cost / c:.3f}x")
    # the same question at matched cost: each flowcast setting against the reactive settings that
    # cost at least as much (the reactive rule buying its way to fewer misses)
    for l in flowcast_grid:
        m, c = total(replays, l, "slaMisses"), total(replays, l, "cost")
        dearer = [(total(replays, r, "cost"), total(replays, r, "slaMisses"), r) for r in reactive_grid
                  if total(replays, r, "cost") >= c]
        if dearer:
            rc, rm, r = min(dearer)
            print(f"       at matched cost: {l} ({m} misses, {c:.4f} USD) against {r}, the cheapest reactive "
                  f"setting that costs as much ({rm} misses, {rc:.4f} USD): {(1 - m / rm) * 100 if rm else 0:+.1f}% fewer")
        else:
            print(f"       at matched cost: {l} ({m} misses, {c:.4f} USD) costs more than every reactive setting tried")
    if "static-peak" in labels:
        p_miss, p_cost = total(replays, "static-peak", "slaMisses"), total(replays, "static-peak", "cost")
        saving = 1 - f_cost / p_cost
        print(f"{verdict(saving >= 0.3 and f_miss <= 1.1 * p_miss)} flowcast >= 30% cheaper than static-peak with "
              f"<= 1.1x its misses: {saving * 100:.1f}% cheaper, {f_miss} vs {p_miss} misses")
        # as for the first goal, any setting of the grid may meet it; each setting's figures, so that the
        # trade between cost and misses along the grid shows
        for l in flowcast_grid:
            m, c = total(replays, l, "slaMisses"), total(replays, l, "cost")
            print(f"         {l}: {(1 - c / p_cost) * 100:.1f}% cheaper, {m} vs {p_miss} misses"
                  + (" (meets it)" if 1 - c / p_cost >= 0.3 and m <= 1.1 * p_miss else ""))
    if "oracle" in labels:
        o_miss, o_cost = total(replays, "oracle", "slaMisses"), total(replays, "oracle", "cost")
        over = f_cost / o_cost - 1
        print(f"{verdict(over <= 0.15)} flowcast within 15% of oracle's cost: {over * 100:+.1f}% "
              f"({f_cost:.4f} vs {o_cost:.4f} USD)")
        left = (f_miss - o_miss) / r_miss if r_miss else float("nan")
        print(f"       misses beyond the oracle's, as a share of reactive-autoscale's: ({f_miss} - {o_miss}) / "
              f"{r_miss} = {left * 100:.1f}% (what prediction leaves on the table)")
    w, p, n = wilcoxon([r["strategies"][flowcast]["slaMisses"] for _, r in replays],
                       [r["strategies"][reactive]["slaMisses"] for _, r in replays])
    print(f"{verdict(p < 0.05 and f_miss < r_miss)} Wilcoxon signed-rank, SLA misses per replay, flowcast vs "
          f"reactive-autoscale: W+ = {w}, n = {n} non-zero pairs, two-sided p = {p:.4f}")
    # the ablations run at the planner's first setting: compare like with like
    same_setting = flowcast_grid[0]
    ablations = [(same_setting, "flowcast-without-arrivals", "the weekly rhythm of unannounced requests"),
                 ("flowcast-without-arrivals", "flowcast-series-only", "the intents of active users")]
    for with_it, without_it, what in ablations:
        if with_it not in labels or without_it not in labels:
            continue
        a_miss, a_cost = total(replays, with_it, "slaMisses"), total(replays, with_it, "cost")
        b_miss, b_cost = total(replays, without_it, "slaMisses"), total(replays, without_it, "cost")
        w2, p2, n2 = wilcoxon([r["strategies"][with_it]["slaMisses"] for _, r in replays],
                              [r["strategies"][without_it]["slaMisses"] for _, r in replays])
        print(f"       ablation ({with_it} vs {without_it}), what {what} add: misses {a_miss - b_miss:+d} "
              f"({a_miss} vs {b_miss}), cost {(a_cost / b_cost - 1) * 100:+.1f}%; Wilcoxon p = {p2:.4f} "
              f"over {n2} non-zero pairs")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    drop = "--drop-replays" in args
    folders = [a for a in args if a != "--drop-replays"]
    if not folders:
        sys.exit("usage: simulate-elastic.py [--drop-replays] REPORT_DIR [MORE_REPORT_DIRS...] (their reports add "
                 "up: strategies to the same replay, other replays to the comparison; the strategies every replay "
                 "has are compared, or with --drop-replays the replays that have every strategy)")
    sys.exit(main(folders, drop))
