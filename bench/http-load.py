#!/usr/bin/env python3
"""Composition requests against a running Flowcast over HTTP, as its users send them.

Loopback only, bounded in count and time. Either rounds (`--rounds N`: N times, back to back,
REQUESTS requests from CLIENTS clients, each round starting while the instances of the rounds
before it still run) or a sustained run (`--sustain SECONDS`: CLIENTS clients send without a pause
until the time is up, with a report every minute). Prints one JSON object per round or minute:
requests per second, latency percentiles over all answers and per answer (STARTED, QUEUED),
answers by HTTP status, and how many process instances ran when the round began. With
`--clear-before 2`, every running instance is deleted through the engine's REST API before round
2: after round 1 has warmed the JIT, it starts with none running (the demo's steps would take most
of an hour to complete on the bench's one worker per pool), and round 3 right after it starts with
round 2's running.

With `--static`, the same load starts without composing: one composed request per intent first,
then every request starts that request's workflow by its definition id through the engine's REST
API (`POST /engine-rest/process-definition/{id}/start`, as the same user), as a team starts a
process it modelled itself. The instances are the same and run on the same workers, so the two
runs side by side say what composing adds to a start.

Started by bench/http-load.sh, which starts the application as the README does; it can be pointed
at any running Flowcast with --base.
"""
import argparse
import base64
import json
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request

USERS = {"alice": ["run-report", "replicate-database", "scale-service", "backup-database"]}


def call(base, user, method, path, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{user}".encode()).decode())
    if data is not None:
        request.add_header("Content-Type", "application/json")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.monotonic() - started
    except Exception as error:  # a refused or timed-out connection is an answer too: status 0
        return 0, str(error), time.monotonic() - started


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def running_instances(base, user):
    status, body, _ = call(base, user, "GET", "/engine-rest/process-instance/count")
    return json.loads(body)["count"] if status == 200 else None


def clear_instances(base, admin):
    """Deletes every running process instance through the engine's REST API (the composed ones, and
    with them their steps' instances and, through Flowcast's end listeners, their reservations), so
    that the next round starts with none running after the warm-up round."""
    deleted = 0
    while True:
        status, body, _ = call(base, admin, "GET", "/engine-rest/process-instance?rootProcessInstances=true&maxResults=200")
        if status != 200:
            sys.exit(f"http-load: cannot list the running instances (HTTP {status})")
        ids = [instance["id"] for instance in json.loads(body)]
        if not ids:
            break
        failed = []
        for instance_id in ids:
            status, body, _ = call(base, admin, "DELETE", f"/engine-rest/process-instance/{instance_id}")
            if status == 204:
                deleted += 1
            else:
                failed.append(f"{instance_id}: HTTP {status} {body[:200]}")
        if len(failed) == len(ids):
            # the same instances would be listed again: stop rather than loop
            sys.exit("http-load: no running instance could be deleted: " + "; ".join(failed[:3]))
        print(f"http-load: {deleted} running instances deleted", file=sys.stderr, flush=True)
    print(f"http-load: none running ({running_instances(base, admin)}) after deleting {deleted}",
          file=sys.stderr, flush=True)


def summary(label, results, seconds, running):
    latencies = [r["seconds"] for r in results]
    by_status, by_answer = {}, {}
    for r in results:
        by_status[str(r["status"])] = by_status.get(str(r["status"]), 0) + 1
        by_answer.setdefault(r["answer"], []).append(r["seconds"])
    ms = lambda v: None if v is None else round(v * 1000, 1)
    return {
        "round": label, "requests": len(results), "seconds": round(seconds, 2),
        "requestsPerSecond": round(len(results) / seconds, 1) if seconds > 0 else None,
        "p50Ms": ms(percentile(latencies, 0.5)), "p99Ms": ms(percentile(latencies, 0.99)),
        "maxMs": ms(max(latencies) if latencies else None),
        "byStatus": by_status,
        "byAnswer": {answer: {"count": len(v), "p50Ms": ms(percentile(v, 0.5)), "p99Ms": ms(percentile(v, 0.99))}
                     for answer, v in sorted(by_answer.items())},
        "instancesRunningAtStart": running,
    }


def capacity_hold(base, admin):
    """The capacity guarantee's hold time per started composition, from the application's own timer
    (its percentiles cover the last minute or two, its mean the application's whole run; one over
    the hold is the most starts per second that one guarantee lets a cluster make)."""
    status, body, _ = call(base, admin, "GET", "/actuator/prometheus")
    if status != 200:
        return {"capacityHold": f"metrics not readable (HTTP {status})"}
    hold = {}
    for line in body.splitlines():
        if not line.startswith("flowcast_compositions_capacity_hold_seconds"):
            continue
        name_and_tags, value = line.rsplit(" ", 1)
        seconds = float(value)
        if 'quantile="0.5"' in name_and_tags:
            hold["p50Ms"] = round(seconds * 1000, 2)
        elif 'quantile="0.99"' in name_and_tags:
            hold["p99Ms"] = round(seconds * 1000, 2)
        elif name_and_tags.startswith("flowcast_compositions_capacity_hold_seconds_count"):
            hold["count"] = hold.get("count", 0) + int(seconds)
        elif name_and_tags.startswith("flowcast_compositions_capacity_hold_seconds_sum"):
            hold["sumMs"] = hold.get("sumMs", 0) + seconds * 1000
        elif name_and_tags.startswith("flowcast_compositions_capacity_hold_seconds_max"):
            hold["maxMs"] = round(seconds * 1000, 2)
    if hold.get("count"):
        hold["meanMs"] = round(hold.pop("sumMs", 0) / hold["count"], 2)
    hold.pop("sumMs", None)
    if hold.get("p50Ms"):
        hold["ceilingPerSecond"] = round(1000 / hold["p50Ms"], 1)
    return {"capacityHold": hold}


def send(base, user, intent, results, lock):
    status, body, seconds = call(base, user, "POST", "/flowcast/api/requests", {"intent": intent})
    answer = "ERROR"
    if status in (200, 201):
        try:
            answer = json.loads(body).get("status", "?")
        except ValueError:
            answer = "?"
    with lock:
        results.append({"status": status, "seconds": seconds, "answer": answer})


def send_static(base, user, definition_id, results, lock):
    status, body, seconds = call(base, user, "POST", f"/engine-rest/process-definition/{definition_id}/start", {})
    with lock:
        results.append({"status": status, "seconds": seconds, "answer": "STARTED" if status == 200 else "ERROR"})


def static_starts(base, user):
    """One composed request per intent; its workflow's definition id then stands for the intent."""
    definitions = {}
    for intent in USERS[user]:
        for attempt in range(60):  # the machine's monitor may queue while the cores are busy: try again
            status, body, _ = call(base, user, "POST", "/flowcast/api/requests", {"intent": intent})
            answer = json.loads(body) if status in (200, 201) else {}
            if answer.get("status") == "STARTED":
                break
            time.sleep(2)
        else:
            sys.exit(f"http-load: --static needs room to start each intent once; {intent} answered {status} {body[:200]}")
        definitions[intent] = answer["processDefinitionId"]
    print(json.dumps({"static": definitions}), flush=True)
    return lambda base, user, intent, results, lock: send_static(base, user, definitions[intent], results, lock)


def round_of(base, requests, clients, send=send):
    results, lock = [], threading.Lock()
    work = list(range(requests))
    take = threading.Lock()
    intents = USERS["alice"]

    def client():
        while True:
            with take:
                if not work:
                    return
                n = work.pop()
            send(base, "alice", intents[n % len(intents)], results, lock)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.monotonic() - started


def sustained(base, clients, seconds, max_requests, send=send):
    results, lock = [], threading.Lock()
    intents = USERS["alice"]
    deadline = time.monotonic() + seconds
    budget = [max_requests]

    def client(k):
        n = k
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            send(base, "alice", intents[n % len(intents)], results, lock)
            n += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    reported, minute = 0, 1
    while any(t.is_alive() for t in threads):
        time.sleep(1)
        if time.monotonic() - started >= 60 * minute:
            with lock:
                window = results[reported:]
                reported = len(results)
            print(json.dumps(summary(f"minute {minute}", window, 60, running_instances(base, "alice"))), flush=True)
            minute += 1
    for t in threads:
        t.join()
    return results, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the application's address, e.g. http://127.0.0.1:8080")
    parser.add_argument("--requests", type=int, default=200, help="requests per round")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sustain", type=int, default=0, help="seconds of sustained load instead of rounds")
    parser.add_argument("--max-requests", type=int, default=200_000, help="the most a sustained run sends")
    parser.add_argument("--admin", default="demo", help="a user who may read /actuator/prometheus (password = name)")
    parser.add_argument("--clear-before", default="",
                        help="rounds (e.g. 2 or 2,4) before which every running instance is deleted, so that a"
                             " round after the JIT's warm-up starts with none running")
    parser.add_argument("--static", action="store_true",
                        help="start each intent's composed workflow by its definition id instead of composing")
    args = parser.parse_args()
    if not args.base.startswith(("http://127.", "http://localhost", "http://[::1]")):
        sys.exit("http-load: only loopback addresses are load-tested")
    sender = static_starts(args.base, "alice") if args.static else send
    if args.sustain > 0:
        results, seconds = sustained(args.base, args.clients, min(args.sustain, 3600), args.max_requests, sender)
        print(json.dumps(summary("all", results, seconds, running_instances(args.base, "alice"))), flush=True)
    else:
        clear_before = {int(n) for n in args.clear_before.split(",") if n.strip()}
        for n in range(1, args.rounds + 1):
            if n in clear_before:
                clear_instances(args.base, args.admin)
            running = running_instances(args.base, "alice")
            results, seconds = round_of(args.base, args.requests, args.clients, sender)
            print(json.dumps(summary(n, results, seconds, running)), flush=True)
    print(json.dumps(capacity_hold(args.base, args.admin)), flush=True)


if __name__ == "__main__":
    main()
