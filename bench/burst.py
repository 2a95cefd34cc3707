#!/usr/bin/env python3
"""A recorded burst sent to the running demo, for bench/burst.sh.

  burst.py history WORKLOAD_DIR T0 OUT.csv   the sessions before the burst as a CSV event log,
                                             their times relative to T0 (ISO-8601), for `import`
  burst.py run --base URL --workload DIR --t0 T0 --out OUT.json
                                             the requests at T0 + their offsets, the pools polled
                                             meanwhile, then every request's fate and the SCALE decisions
  burst.py compare A.json B.json ...         the table of docs/BENCHMARKS.md

The workload comes from `simulate --export-workload` (history.ndjson, requests.ndjson): a window
of an event log, its gaps divided by the replay's speedup, each case one user.
"""
import argparse
import base64
import csv
import datetime as dt
import json
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

ADMIN = ("demo", "demo")
GROUP = "operators"


def parse_time(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def iso(moment):
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def read_ndjson(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def call(base, method, path, body=None, auth=ADMIN, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode())
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text.strip() else None)
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        try:
            return e.code, json.loads(text)
        except ValueError:
            return e.code, text


def history(args):
    t0 = parse_time(args.t0)
    events = read_ndjson(f"{args.workload}/history.ndjson")
    with open(args.out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["case", "user", "action", "time"])
        for event in events:
            writer.writerow([event["case"], event["user"], event["action"],
                             iso(t0 + dt.timedelta(seconds=event["seconds"]))])
    print(f"burst: {len(events)} earlier events, the last {-events[-1]['seconds']:.0f} s before the burst's first request",
          file=sys.stderr)


class PoolWatch(threading.Thread):
    """Polls the elastic pools every `interval` seconds until stopped."""

    def __init__(self, base, interval):
        super().__init__(daemon=True)
        self.base, self.interval = base, interval
        self.samples = []
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            status, body = call(self.base, "GET", "/flowcast/api/capacity/pools")
            if status == 200:
                self.samples.append({"at": time.time(), "pools": {
                    name: {k: pool[k] for k in ("provisionedUnits", "readyUnits", "desiredUnits", "unitVcpu",
                                                "unitMemoryMb")}
                    for name, pool in body["pools"].items()}})
            self.stopped.wait(self.interval)


def run(args):
    base = args.base
    t0 = parse_time(args.t0).timestamp()
    requests = read_ndjson(f"{args.workload}/requests.ndjson")
    for user in sorted({r["user"] for r in requests}):
        status, body = call(base, "POST", "/engine-rest/user/create", {
            "profile": {"id": user, "firstName": "Case", "lastName": user, "email": f"{user}@example.org"},
            "credentials": {"password": user}})
        if status not in (204, 200):
            sys.exit(f"burst: user {user} could not be created: {status} {body}")
        status, body = call(base, "PUT", f"/engine-rest/group/{GROUP}/members/{user}")
        if status not in (204, 200):
            sys.exit(f"burst: user {user} could not join {GROUP}: {status} {body}")
    if time.time() > t0:
        sys.exit(f"burst: the application was ready {time.time() - t0:.0f} s after the burst's start: "
                 "raise LEAD_IN")
    watch = PoolWatch(base, args.poll)
    watch.start()
    answers = [None] * len(requests)

    def send(i):
        request = requests[i]
        time.sleep(max(0.0, t0 + request["seconds"] - time.time()))
        sent = time.time()
        status, body = call(base, "POST", "/flowcast/api/requests",
                            {"intent": request["intent"], "parameters": {"burstRequest": str(request["index"])}},
                            auth=(request["user"], request["user"]))
        answers[i] = {"index": request["index"], "user": request["user"], "intent": request["intent"],
                      "deadlineSeconds": request["deadlineSeconds"], "sentAt": sent, "httpStatus": status,
                      "status": body.get("status") if isinstance(body, dict) else None,
                      "answerSeconds": round(time.time() - sent, 3)}

    print(f"burst: {len(requests)} requests over {requests[-1]['seconds']:.0f} s from "
          f"{dt.datetime.fromtimestamp(t0, dt.timezone.utc).isoformat()}", file=sys.stderr)
    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(send, range(len(requests))))
    print(f"burst: all sent; answers {count(a['status'] for a in answers)}", file=sys.stderr)
    # every request's composed instance, until all have ended or the drain limit has passed
    deadline = time.time() + args.drain
    ended = {}
    while time.time() < deadline:
        ended = instances(base)
        done = sum(1 for i in ended.values() if i["end"] is not None)
        print(f"burst: {done} of {len(requests)} completed", file=sys.stderr)
        if done == len(requests):
            break
        time.sleep(5)
    watch.stopped.set()
    watch.join()
    status, decisions = call(base, "GET", "/flowcast/api/decisions?limit=1000")
    scales = sorted(({"at": parse_time(d["decidedAt"]).timestamp(), "status": d["status"], "reason": d["reason"]}
                     for d in decisions if d["kind"] == "SCALE"), key=lambda d: d["at"])
    for answer in answers:
        instance = ended.get(str(answer["index"]))
        answer["completedSeconds"] = None if instance is None or instance["end"] is None \
            else round(instance["end"] - answer["sentAt"], 3)
    result = {"planner": args.planner, "t0": t0, "requests": answers, "pools": watch.samples, "scale": scales}
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    summary(result, sys.stderr)


def instances(base):
    """The composed instance of each request (by its burstRequest variable): start and end times."""
    status, variables = call(base, "GET", "/engine-rest/history/variable-instance?variableName=burstRequest"
                                          "&deserializeValues=false&maxResults=10000")
    of_instance = {v["processInstanceId"]: v["value"] for v in variables}
    found = {}
    ids = list(of_instance)
    for start in range(0, len(ids), 100):
        status, chunk = call(base, "POST", "/engine-rest/history/process-instance",
                             {"processInstanceIds": ids[start:start + 100]})
        for instance in chunk:
            key = instance["processDefinitionKey"]
            if not key.startswith("flowcast-") or key == "flowcast-queue":
                continue
            request = of_instance[instance["id"]]
            end = None if instance["endTime"] is None or instance["state"] != "COMPLETED" \
                else parse_time(instance["endTime"]).timestamp()
            found[request] = {"start": parse_time(instance["startTime"]).timestamp(), "end": end}
    return found


def count(values):
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def figures(result):
    requests = result["requests"]
    within = sum(1 for r in requests if r["completedSeconds"] is not None and r["completedSeconds"] <= r["deadlineSeconds"])
    lost = sum(1 for r in requests if r["completedSeconds"] is None)
    end = max([r["sentAt"] + (r["completedSeconds"] or 0) for r in requests])
    unit_seconds, vcpu_seconds = {}, 0.0
    samples = [s for s in result["pools"] if s["at"] <= end]
    for before, after in zip(samples, samples[1:]):
        span = after["at"] - before["at"]
        for name, pool in before["pools"].items():
            unit_seconds[name] = unit_seconds.get(name, 0.0) + pool["provisionedUnits"] * span
            vcpu_seconds += pool["provisionedUnits"] * pool["unitVcpu"] * span
    first = min(r["sentAt"] for r in requests)
    ups = [s for s in result["scale"] if s["status"] in ("REQUESTED", "SHADOW") and "more units" in s["reason"]
           and s["at"] >= first - 600]
    return {"requests": len(requests), "withinDeadline": within, "lost": lost,
            "answers": count(r["status"] for r in requests),
            "unitSeconds": {k: round(v) for k, v in sorted(unit_seconds.items())}, "vcpuSeconds": round(vcpu_seconds),
            "scaleUps": [round(s["at"] - first, 1) for s in ups],
            "burstSpanSeconds": round(max(r["sentAt"] for r in requests) - first, 1),
            "endSeconds": round(end - first, 1)}


def summary(result, out):
    f = figures(result)
    print(f"{result['planner']}: {f['withinDeadline']} of {f['requests']} within their deadline, {f['lost']} not completed; "
          f"answers {f['answers']}; provisioned vCPU-seconds {f['vcpuSeconds']} (unit-seconds {f['unitSeconds']}) "
          f"until the last completion, {f['endSeconds']} s after the first request; scale-ups at "
          f"{f['scaleUps']} s from the first request (requests sent over {f['burstSpanSeconds']} s)", file=out)


def compare(args):
    results = [json.load(open(path)) for path in args.results]
    print("| planner | within deadline | not completed | answers | vCPU-seconds provisioned | scale-ups (s from the first request) |")
    print("| --- | ---: | ---: | --- | ---: | --- |")
    for result in results:
        f = figures(result)
        ups = ", ".join(f"{s:+.0f}" for s in f["scaleUps"][:12]) + (" ..." if len(f["scaleUps"]) > 12 else "")
        print(f"| {result['planner']} | {f['withinDeadline']} of {f['requests']} | {f['lost']} | "
              f"{', '.join(f'{k} {v}' for k, v in sorted(f['answers'].items(), key=str))} | {f['vcpuSeconds']} | {ups} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    h = commands.add_parser("history")
    h.add_argument("workload")
    h.add_argument("t0")
    h.add_argument("out")
    r = commands.add_parser("run")
    r.add_argument("--base", required=True)
    r.add_argument("--workload", required=True)
    r.add_argument("--t0", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--planner", required=True)
    r.add_argument("--poll", type=float, default=2.0)
    r.add_argument("--drain", type=float, default=600.0, help="seconds to wait for the last completion")
    c = commands.add_parser("compare")
    c.add_argument("results", nargs="+")
    args = parser.parse_args()
    {"history": history, "run": run, "compare": compare}[args.command](args)


if __name__ == "__main__":
    main()
