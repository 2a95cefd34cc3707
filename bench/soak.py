#!/usr/bin/env python3
"""Soak with faults against a running Flowcast (loopback only, bounded in time and requests).

Started by bench/soak.sh, which starts node_exporter, Prometheus and the application and passes
their ports and process ids. N users compose all intents for M minutes; midway the metrics source
fails (Prometheus stopped, then started again), the intent model in the registry is corrupted, the
price catalog is replaced by an invalid one, and the spot pool gets an interruption notice. Then
every request that got a 201 is followed to its end, and the counts, latencies and the process's
memory, file handles and threads are printed as one JSON object.
"""
import argparse
import base64
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

INTENTS = {
    "alice": ["run-report", "replicate-database", "scale-service", "backup-database"],
    "bob": ["run-report"],
    "demo": ["run-report", "replicate-database", "scale-service", "backup-database"],
}


def call(base, user, method, path, body=None, content_type="application/json", timeout=30):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{user}".encode()).decode())
    if data is not None:
        request.add_header("Content-Type", content_type)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), time.monotonic() - started
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        return 0, str(error), time.monotonic() - started


def process_figures(pid, base):
    """Heap after a full GC, resident memory, open file handles and threads of the application."""
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
    time.sleep(1)
    status = open(f"/proc/{pid}/status").read()
    field = lambda name: int(next(l.split()[1] for l in status.splitlines() if l.startswith(name + ":")))
    _, scrape, _ = call(base, "demo", "GET", "/actuator/prometheus")
    heap = sum(float(line.rsplit(" ", 1)[1]) for line in scrape.splitlines()
               if line.startswith("jvm_memory_used_bytes") and 'area="heap"' in line)
    return {"heapUsedMb": round(heap / 2**20, 1), "residentMb": round(field("VmRSS") / 1024, 1),
            "openFiles": len(os.listdir(f"/proc/{pid}/fd")), "threads": field("Threads")}


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--app-pid", type=int, required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--h2-jar", required=True)
    parser.add_argument("--prometheus-stop", required=True, help="command that stops Prometheus")
    parser.add_argument("--prometheus-start", required=True, help="command that starts it again")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--drain-seconds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--think", type=float, default=0.2, help="mean seconds a user waits between requests")
    args = parser.parse_args()
    random.seed(args.seed)
    base = args.base

    # an intent model to corrupt later: a habit in the log, trained through the API
    now = time.time()
    events = []
    for s in range(60):
        t = now - 5 * 86400 + s * 7200
        for i, action in enumerate(["login", "backup-database", "run-report"]):
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t + 60 * i))
            events.append({"time": stamp, "user": "alice", "action": action})
    call(base, "demo", "POST", "/flowcast/api/activity", events)
    trained = call(base, "demo", "POST", "/flowcast/api/models/intent/train", b"")
    start_figures = process_figures(args.app_pid, base)

    results = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.minutes * 60
    budget = [args.max_requests]
    users = [random.choice(list(INTENTS)) for _ in range(args.users)]

    def client(user):
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            intent = random.choice(INTENTS[user])
            status, body, seconds = call(base, user, "POST", "/flowcast/api/requests", {"intent": intent})
            answer = {}
            if status == 201:
                try:
                    answer = json.loads(body)
                except ValueError:
                    pass
            with lock:
                results.append({"user": user, "intent": intent, "status": status, "seconds": seconds,
                                 "answer": answer, "at": time.monotonic(), "error": body[:200] if status >= 500 or status == 0 else None})
            time.sleep(random.uniform(0.25, 1.75) * args.think)

    faults = []

    def fault(at_fraction, name, action):
        def run():
            time.sleep(max(0, deadline - time.monotonic() - (1 - at_fraction) * args.minutes * 60))
            outcome = action()
            faults.append({"at": round(at_fraction * args.minutes * 60), "fault": name, "outcome": outcome})
        return threading.Thread(target=run, daemon=True)

    db = f"jdbc:h2:file:{args.workdir}/data/flowcast;AUTO_SERVER=TRUE"

    def corrupt_model():
        sql = ("insert into flowcast_model (id, kind, version, created_at, training_from, training_to, rows_trained,"
               " description, model_bytes) select 'corrupt-soak', kind, version + 1, current_timestamp, training_from,"
               " training_to, rows_trained, description, 'bm90IGEgbW9kZWw=' from flowcast_model where kind = 'intent'"
               " order by version desc fetch first 1 rows only")
        done = subprocess.run(["java", "-cp", args.h2_jar, "org.h2.tools.Shell", "-url", db, "-user", "sa",
                               "-password", "", "-sql", sql], capture_output=True, text=True, timeout=60)
        time.sleep(35)  # the refresh interval: nodes look for a newer model
        _, prediction, _ = call(base, "alice", "GET", "/flowcast/api/predictions")
        return {"inserted": done.returncode == 0, "predictionSource": json.loads(prediction).get("source")}

    def invalid_catalog():
        with open(os.path.join(args.workdir, "config", "prices.yml"), "a") as catalog:
            catalog.write("\n  broken: [this is not a pool\n")
        time.sleep(8)
        _, profile, _ = call(base, "demo", "GET", "/flowcast/api/resources/profile")
        return {"catalogProblem": json.loads(profile).get("catalog", {}).get("lastProblem")}

    def metrics_fail():
        subprocess.run(args.prometheus_stop, shell=True, timeout=30)
        time.sleep(40)  # past stale-after
        _, profile, _ = call(base, "demo", "GET", "/flowcast/api/resources/profile")
        stale = json.loads(profile).get("stale")
        subprocess.run(args.prometheus_start, shell=True, timeout=30)
        return {"staleWhileDown": stale}

    def interruption():
        status, _, _ = call(base, "demo", "POST", "/flowcast/api/admin/pools/spot/interruption",
                            {"seconds": 60, "reason": "soak"})
        return {"status": status}

    threads = [threading.Thread(target=client, args=(u,)) for u in users]
    threads += [fault(0.2, "metrics source failing", metrics_fail), fault(0.4, "intent model corrupted", corrupt_model),
                fault(0.6, "price catalog invalid", invalid_catalog), fault(0.75, "spot interruption", interruption)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    last_report = started
    while any(t.is_alive() for t in threads[:len(users)]):
        time.sleep(1)
        if time.monotonic() - last_report >= 15:
            last_report = time.monotonic()
            print(f"soak: {int(last_report - started)} s, {len(results)} requests", file=sys.stderr, flush=True)
    for thread in threads:
        thread.join(timeout=120)
    load_seconds = time.monotonic() - started

    # follow every 201 to its end
    accepted = [r for r in results if r["status"] == 201]
    drain_deadline = time.monotonic() + args.drain_seconds
    outcomes = {}
    while True:
        outcomes = {"completed": 0, "running": 0, "queued": 0, "expired": 0, "other": 0, "lost": 0}
        for r in accepted:
            instance = r["answer"].get("processInstanceId")
            status, body, _ = call(base, "demo", "GET", f"/engine-rest/history/process-instance/{instance}")
            if status != 200:
                outcomes["lost"] += 1
                continue
            state = json.loads(body).get("state")
            queue = r["answer"].get("status") == "QUEUED"
            if state == "ACTIVE":
                outcomes["queued" if queue else "running"] += 1
            elif state == "COMPLETED" and queue:
                # the queue ends once it has started the request's composed instance, or at its deadline
                _, variables, _ = call(base, "demo", "GET",
                                       f"/engine-rest/history/variable-instance?processInstanceId={instance}")
                values = {v.get("name"): v.get("value") for v in json.loads(variables)}
                started_instance = values.get("flowcastStartedInstanceId")
                if values.get("queueStatus") == "EXPIRED":
                    outcomes["expired"] += 1
                elif started_instance:
                    _, started, _ = call(base, "demo", "GET", f"/engine-rest/history/process-instance/{started_instance}")
                    started_state = json.loads(started).get("state")
                    outcomes["completed" if started_state == "COMPLETED" else "running"] += 1
                else:
                    outcomes["other"] += 1
            elif state == "COMPLETED":
                outcomes["completed"] += 1
            else:
                outcomes["other"] += 1
        if outcomes["running"] == 0 or time.monotonic() > drain_deadline:
            break
        time.sleep(5)
    held = subprocess.run(["java", "-cp", args.h2_jar, "org.h2.tools.Shell", "-url", db, "-user", "sa",
                           "-password", "", "-sql", "select count(distinct r.process_instance_id) from flowcast_reservation r"
                           " where r.released_at is null and not exists (select 1 from ACT_RU_EXECUTION e"
                           " where e.PROC_INST_ID_ = r.process_instance_id)"],
                          capture_output=True, text=True, timeout=60).stdout
    reservations_left = next((int(line.strip()) for line in held.splitlines() if line.strip().isdigit()), None)
    end_figures = process_figures(args.app_pid, base)

    seconds = [r["seconds"] for r in results]
    by_status = {}
    for r in results:
        by_status[str(r["status"])] = by_status.get(str(r["status"]), 0) + 1
    composition = {}
    for r in accepted:
        key = r["answer"].get("status", "?")
        composition[key] = composition.get(key, 0) + 1
    print(json.dumps({
        "users": args.users, "minutes": args.minutes, "loadSeconds": round(load_seconds, 1),
        "modelTrained": trained[0], "requests": len(results), "byStatus": by_status, "accepted": composition,
        "latencySeconds": {"p50": percentile(seconds, 0.5), "p95": percentile(seconds, 0.95),
                           "p99": percentile(seconds, 0.99), "mean": statistics.mean(seconds) if seconds else None},
        "serverErrors": [r["error"] for r in results if r["status"] >= 500 or r["status"] == 0][:10],
        "outcomes": outcomes, "reservationsOfEndedInstances": reservations_left, "faults": faults, "start": start_figures, "end": end_figures,
    }, indent=2))


if __name__ == "__main__":
    main()
