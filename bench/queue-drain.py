#!/usr/bin/env python3
"""How a full queue drains on a running Flowcast, over HTTP.

Every pool is made too small for any request (admin API), DRAIN requests are sent from CLIENTS
clients (they all queue), then every pool is made very large at once. Every 5 seconds it prints how
many requests still wait in the queue, while a few clients (--meanwhile) go on sending new requests,
whose latency is reported per minute. At the end: how long the queue took to drain, and whether it
drained in deadline order (for each queued request that started, how many requests with an earlier
deadline were still waiting: the turns allow fewer than flowcast.queue.retries-per-tick per node).

Started by bench/http-load.sh --drain N, which starts the application as the README does.
"""
import argparse
import importlib.util
import json
import os
import sys
import threading
import time
from datetime import datetime

_spec = importlib.util.spec_from_file_location("http_load", os.path.join(os.path.dirname(__file__), "http-load.py"))
http_load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(http_load)
call, summary, round_of, send = http_load.call, http_load.summary, http_load.round_of, http_load.send

QUEUE = "flowcast-queue"
TINY = {"vcpu": 0.01, "memoryMb": 1, "networkMbps": 1, "diskIops": 1}
LARGE = {"vcpu": 100000, "memoryMb": 1e12, "networkMbps": 1e12, "diskIops": 1e12}


def set_pools(base, admin, size):
    status, body, _ = call(base, admin, "GET", "/flowcast/api/admin/pools")
    if status != 200:
        sys.exit(f"queue-drain: cannot read the pools (HTTP {status}): {body}")
    for pool in json.loads(body):
        answer, text, _ = call(base, admin, "PUT", f"/flowcast/api/admin/pools/{pool}", dict(
            size, pricePerVcpuHour=0.04, pricePerGbHour=0.004, interruptionRatePerHour=0))
        if answer != 200:
            sys.exit(f"queue-drain: cannot size pool {pool} (HTTP {answer}): {text}")


def waiting(base, admin):
    status, body, _ = call(base, admin, "GET", f"/engine-rest/process-instance/count?processDefinitionKey={QUEUE}")
    return json.loads(body)["count"] if status == 200 else None


def millis(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def deadline_order(base, admin, since):
    """For each queue instance that ended after `since` (the drain), how many with an earlier deadline
    were still waiting when it ended."""
    status, body, _ = call(base, admin, "GET", f"/engine-rest/history/process-instance?processDefinitionKey={QUEUE}"
                           "&finished=true&maxResults=100000")
    ended = {p["id"]: millis(p["endTime"]) for p in json.loads(body) if p.get("endTime")}
    status, body, _ = call(base, admin, "GET", "/engine-rest/history/variable-instance?variableName=flowcastDeadline"
                           "&deserializeValues=false&maxResults=100000")
    deadlines = {}
    for v in json.loads(body):
        if v["processInstanceId"] in ended and v.get("value") is not None:
            deadlines[v["processInstanceId"]] = millis(v["value"]) if isinstance(v["value"], str) else v["value"] / 1000
    drained = sorted((i for i in deadlines if ended[i] >= since), key=lambda i: ended[i])
    worst, inversions = 0, 0
    for n, i in enumerate(drained):
        later_ended_earlier_deadline = sum(1 for j in drained[n + 1:] if deadlines[j] < deadlines[i])
        inversions += later_ended_earlier_deadline
        worst = max(worst, later_ended_earlier_deadline)
    return {"drained": len(drained), "mostEarlierDeadlinesStillWaiting": worst, "pairsOutOfDeadlineOrder": inversions}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--drain", type=int, default=1000, help="requests queued before the pools grow")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--meanwhile", type=int, default=5, help="clients sending new requests while the queue drains")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds to wait for the queue to drain")
    parser.add_argument("--admin", default="demo")
    args = parser.parse_args()
    if not args.base.startswith(("http://127.", "http://localhost", "http://[::1]")):
        sys.exit("queue-drain: only loopback addresses are load-tested")

    set_pools(args.base, args.admin, TINY)
    results, seconds = round_of(args.base, args.drain, args.clients)
    print(json.dumps(summary("queueing", results, seconds, None)), flush=True)
    queued = waiting(args.base, args.admin)

    set_pools(args.base, args.admin, LARGE)
    grown = time.time()
    print(json.dumps({"poolsGrownAt": datetime.utcfromtimestamp(grown).isoformat() + "Z", "waiting": queued}), flush=True)
    meanwhile, lock, stop = [], threading.Lock(), threading.Event()

    def client(k):
        n = k
        while not stop.is_set():
            send(args.base, "alice", http_load.USERS["alice"][n % 4], meanwhile, lock)
            n += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.meanwhile)]
    for t in threads:
        t.start()
    reported, minute, left = 0, 1, queued
    while left and time.time() - grown < args.timeout:
        time.sleep(5)
        left = waiting(args.base, args.admin)
        print(json.dumps({"secondsSincePoolsGrew": round(time.time() - grown), "waiting": left}), flush=True)
        if time.time() - grown >= 60 * minute:
            with lock:
                window, reported = meanwhile[reported:], len(meanwhile)
            print(json.dumps(summary(f"new requests, minute {minute}", window, 60, None)), flush=True)
            minute += 1
    drained_in = time.time() - grown
    stop.set()
    for t in threads:
        t.join()
    print(json.dumps(summary("new requests while draining", meanwhile, drained_in, None)), flush=True)
    print(json.dumps({"drainedInSeconds": round(drained_in, 1) if not left else None, "stillWaiting": left,
                      "startsPerSecond": round((queued - (left or 0)) / drained_in, 2),
                      **deadline_order(args.base, args.admin, grown)}), flush=True)


if __name__ == "__main__":
    main()
