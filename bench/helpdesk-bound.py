#!/usr/bin/env python3
"""How far next-action prediction can go on an event log under the Tax et al. protocol, with hindsight.

Splits the log as `evaluate` does (cases in file order, the first two thirds train, the rest test;
every test prefix of two or more actions predicts the next action or the end) and then fits, on
the test part's own answers, a decision tree per last action over what a model could know of a
prefix: the gaps between its latest actions, time since it started, hour, weekday, day of month,
the month itself (the log's drift), position, the action before the last one, how often it did
each action, the hour it started. Leaves must hold at least MIN predictions, so a tree cannot
learn single cases by heart. No model can be expected to score above such an oracle: it chooses
every leaf's answer knowing the answers. Usage:

  bench/helpdesk-bound.py [LOG.csv] [--time-format '%Y-%m-%d %H:%M:%S']

Standard library only; prints one line per last action and the bound for depths 1 to 4 and
leaves of 5 and 10 predictions; after the actions 1, 6 and 8 also the best
split of any two features at once (a greedy tree could miss one). Decision 0018 and docs/BENCHMARKS.md read it.
"""
import argparse
import collections
import csv
import datetime
import math


def read_cases(path, time_format):
    cases = collections.OrderedDict()
    with open(path, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for case, action, time in reader:
            cases.setdefault(case, []).append((action, datetime.datetime.strptime(time, time_format)))
    return cases


def test_predictions(cases):
    ids = list(cases)
    for case in ids[int(len(ids) * 2 / 3):]:
        events = cases[case]
        for k in range(2, len(events) + 1):
            yield events[:k], events[k][0] if k < len(events) else "END"


def features(prefix, actions):
    last = prefix[-1][1]
    done = [a for a, _ in prefix]
    row = {
        "gap": (prefix[-1][1] - prefix[-2][1]).total_seconds(),
        "gap2": (prefix[-2][1] - prefix[-3][1]).total_seconds() if len(prefix) > 2 else -1,
        "since_start": (last - prefix[0][1]).total_seconds(),
        "hour": last.hour + last.minute / 60,
        "weekday": last.weekday(),
        "day_of_month": last.day,
        "month": last.year * 12 + last.month,
        "position": len(prefix),
        "previous": actions.index(done[-2]),
        "start_hour": prefix[0][1].hour,
    }
    for action in actions:
        row["count_" + action] = done.count(action)
    return row


def majority(rows):
    counts = collections.Counter(answer for _, answer in rows)
    return counts.most_common(1)[0][1] if counts else 0


def best_split(rows, min_leaf):
    best = (majority(rows), None, None)
    for key in rows[0][0]:
        values = sorted({row[key] for row, _ in rows})
        if len(values) > 64:
            values = [values[i * len(values) // 64] for i in range(1, 64)]
        for threshold in values:
            left = [r for r in rows if r[0][key] < threshold]
            right = [r for r in rows if r[0][key] >= threshold]
            if len(left) < min_leaf or len(right) < min_leaf:
                continue
            correct = majority(left) + majority(right)
            if correct > best[0]:
                best = (correct, key, threshold)
    return best


def tree_correct(rows, depth, min_leaf):
    """Greedy tree fitted on the rows' own answers: how many of them it gets right."""
    if depth == 0 or len(rows) < 2 * min_leaf:
        return majority(rows)
    _, key, threshold = best_split(rows, min_leaf)
    if key is None:
        return majority(rows)
    return (tree_correct([r for r in rows if r[0][key] < threshold], depth - 1, min_leaf)
            + tree_correct([r for r in rows if r[0][key] >= threshold], depth - 1, min_leaf))


def best_pair_gain(rows, min_leaf, bins=16):
    """Every pair of features cut at one of their quantiles each, the four quadrants answered by
    their majority: the most predictions such a split gets right beyond the majority answer."""
    keys = list(rows[0][0])
    binned = {}
    for key in keys:
        values = sorted(row[key] for row, _ in rows)
        cuts = sorted({values[i * len(values) // bins] for i in range(1, bins)})
        binned[key] = [sum(row[key] >= c for c in cuts) for row, _ in rows]
    answers = [answer for _, answer in rows]
    best = 0
    for i, first in enumerate(keys):
        for second in keys[i + 1:]:
            cells = collections.Counter(zip(binned[first], binned[second], answers))
            for a in range(1, bins):
                for b in range(1, bins):
                    quadrants = [collections.Counter() for _ in range(4)]
                    for (x, y, answer), n in cells.items():
                        quadrants[(x >= a) * 2 + (y >= b)][answer] += n
                    if min(sum(q.values()) for q in quadrants) < min_leaf:
                        continue
                    best = max(best, sum(q.most_common(1)[0][1] for q in quadrants) - majority(rows))
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", nargs="?", default="datasets/eventlogs/helpdesk.csv")
    parser.add_argument("--time-format", default="%Y-%m-%d %H:%M:%S")
    args = parser.parse_args()
    cases = read_cases(args.log, args.time_format)
    actions = sorted({a for events in cases.values() for a, _ in events})
    by_last = collections.defaultdict(list)
    total = 0
    for prefix, answer in test_predictions(cases):
        by_last[prefix[-1][0]].append((features(prefix, actions), answer))
        total += 1
    print(f"{args.log}: {len(cases)} cases, {total} test predictions")
    print("last action | predictions | majority | depth 4, leaves >= 10 | depth 4, leaves >= 5")
    for last, rows in sorted(by_last.items()):
        print(f"{last} | {len(rows)} | {majority(rows)} | {tree_correct(rows, 4, 10)} | {tree_correct(rows, 4, 5)}")
    for min_leaf in (10, 5):
        for depth in range(1, 5):
            correct = sum(tree_correct(rows, depth, min_leaf) for rows in by_last.values())
            print(f"hindsight bound, depth {depth}, leaves >= {min_leaf}: {correct} of {total} = {correct / total:.4f}")
    for last in ("1", "6", "8"):
        if last in by_last:
            print(f"after {last}: the best split of two features gains {best_pair_gain(by_last[last], 10)}"
                  " predictions over the majority answer (quadrants of at least 10)")
    print(f"top-1 0.85 needs {math.ceil(0.85 * total)} of {total}")


if __name__ == "__main__":
    main()
