"""Runs a lakebook backfill's day jobs as Ray tasks (lakebook backfill run --engine ray).

lakebook starts this driver and talks to it in JSON lines: it writes {"day": "YYYY-MM-DD"} to
stdin for each day to run and reads one line per day from stdout, {"day", "ok": true, "result"}
or {"day", "ok": false, "error"}. Each task runs `node <cli> backfill day --plan <plan> --day D
--json` on a Ray worker; a failed or killed task is retried by Ray (max_retries), and a retried
day resumes from its checkpoint, so its output is the same. A cluster that cannot be reached is
one line {"fatal": "..."} and exit status 2. Log lines go to stderr.

Usage: python ray/driver.py --plan PLAN --node NODE --cli CLI [--address ADDR] [--retries N]
       [--cpus N]   (no --address: a local cluster with N worker CPUs)
"""

import argparse
import json
import socket
import subprocess
import sys
import threading


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan", required=True)
    ap.add_argument("--node", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--address")
    ap.add_argument("--retries", type=int, default=3)
    ap.add_argument("--cpus", type=int)
    a = ap.parse_args()

    try:
        import ray
    except ImportError as e:
        emit({"fatal": f"Ray is not installed for {sys.executable} ({e}): pip install ray"})
        return 2
    if a.address and a.address != "auto":
        # Ray keeps retrying an address nobody answers for minutes: say so within seconds.
        hostport = a.address.split("://", 1)[-1]
        host, _, port = hostport.rpartition(":")
        try:
            socket.create_connection((host or "127.0.0.1", int(port)), timeout=5).close()
        except (OSError, ValueError) as e:
            emit({"fatal": f"the Ray cluster at {a.address} cannot be reached: {e}"})
            return 2
    try:
        if a.address:
            ray.init(address=a.address, logging_level="ERROR", log_to_driver=False)
        else:
            ray.init(num_cpus=a.cpus, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    except Exception as e:  # noqa: BLE001 - any failure to connect is the same sentence
        where = a.address or "a local cluster"
        emit({"fatal": f"the Ray cluster at {where} cannot be reached: {str(e).splitlines()[0]}"})
        return 2

    @ray.remote(max_retries=a.retries, retry_exceptions=True)
    def day_job(day):
        p = subprocess.run(
            [a.node, a.cli, "backfill", "day", "--plan", a.plan, "--day", day, "--json", "--quiet"],
            capture_output=True,
            text=True,
        )
        if p.returncode != 0:
            last = (p.stderr.strip().splitlines() or [f"exit status {p.returncode}"])[-1]
            raise RuntimeError(f"day {day}: {last} (exit status {p.returncode})")
        return json.loads(p.stdout.strip().splitlines()[-1])

    pending = {}
    lock = threading.Lock()
    done_reading = threading.Event()

    def read_days():
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            day = json.loads(line)["day"]
            with lock:
                pending[day_job.remote(day)] = day
        done_reading.set()

    threading.Thread(target=read_days, daemon=True).start()
    while True:
        with lock:
            refs = list(pending)
        if not refs:
            if done_reading.is_set():
                break
            done_reading.wait(0.1)
            continue
        ready, _ = ray.wait(refs, num_returns=1, timeout=0.5)
        for ref in ready:
            with lock:
                day = pending.pop(ref)
            try:
                emit({"day": day, "ok": True, "result": ray.get(ref)})
            except Exception as e:  # noqa: BLE001 - the task's error, after Ray's retries
                cause = getattr(e, "cause", None) or e
                emit({"day": day, "ok": False, "error": str(cause).strip().splitlines()[-1]})
    ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
