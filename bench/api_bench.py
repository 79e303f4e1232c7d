"""(b) The member list API under 20 concurrent clients vs a bare JSON view on the same gunicorn.

gunicorn is started here on 127.0.0.1 (a free port) with the product's own serving options
(dangjian.core.serving.web_command: gthread workers), 2 workers, but with bench_wsgi /
bench_settings so that one extra view, /bench/bare, exists beside the product's URLs. Both
endpoints are requested with the same session cookie of the district admin, so both go
through the same session + auth middleware. The load generator is a pool of 20 Python threads,
each with its own keep-alive connection; every round is bounded by a request count and a time.
"""
import http.client
import itertools
import math
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time

from bench_common import BENCH_DIR, OUT_DIR, Figure, Section, log, median, ms, p95
from bench_profile import capture_queries, costs_table, profile, query_costs

CONCURRENCY = 20
WORKERS = 2
TARGET = 0.40  # API throughput as a share of the bare view's
AFTER_WRITE_TARGET = 0.300  # seconds: the request that follows a write stays a normal page's time
BARE = "/bench/bare"
API = "/api/v1/members"
FIRST_PAGES = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int) -> list[str]:
    from dangjian.core.serving import web_command

    command = web_command("127.0.0.1", port, WORKERS)
    command[command.index("dangjian.wsgi:application")] = "bench_wsgi:application"
    return command + ["--pythonpath", str(BENCH_DIR)]


class Server:
    def __init__(self, port: int):
        self.port = port
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONUNBUFFERED": "1"}
        self.log_path = OUT_DIR / "gunicorn.log"
        self.log_file = open(self.log_path, "w")
        self.command = gunicorn_command(port)
        self.proc = subprocess.Popen(self.command, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
                                     start_new_session=True)  # its own process group: stopped as a whole below

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.proc.returncode}); see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start listening within {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log_file.close()


def get(conn, path, cookie):
    conn.request("GET", path, headers={"Cookie": cookie, "Accept": "application/json"})
    response = conn.getresponse()
    body = response.read()
    return response.status, body


def load(port: int, cookie: str, make_path, *, max_requests: int, seconds: float,
         concurrency: int = CONCURRENCY) -> dict:
    """``concurrency`` threads with keep-alive connections until ``max_requests`` or ``seconds``; ``cookie`` is
    one session for all, or a list of sessions handed out to the threads in turn."""
    cookies = [cookie] if isinstance(cookie, str) else cookie
    issued = itertools.count()
    latencies, errors, lock = [], [], threading.Lock()
    start = threading.Barrier(concurrency + 1)
    window = {}

    def worker(index):
        rng = random.Random(index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start.wait()
        while time.perf_counter() < window["deadline"] and next(issued) < max_requests:
            path = make_path(rng)
            began = time.perf_counter()
            try:
                status, _body = get(conn, path, cookies[index % len(cookies)])
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                with lock:
                    errors.append(repr(exc))
                continue
            ended = time.perf_counter()
            with lock:
                if status != 200:
                    errors.append(f"{status} {path}")
                else:
                    latencies.append((ended, ended - began))
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    cpu0 = time.process_time()
    window["start"] = time.perf_counter()
    window["deadline"] = window["start"] + seconds
    start.wait()
    for t in threads:
        t.join()
    finished = time.perf_counter()
    cpu = time.process_time() - cpu0
    end = min(finished, window["deadline"])
    in_window = [lat for ended, lat in latencies if ended <= end]
    elapsed = end - window["start"]
    all_lat = [lat for _e, lat in latencies]
    return {
        "requests": len(in_window), "errors": len(errors), "error_samples": errors[:3],
        "seconds": elapsed, "rps": len(in_window) / elapsed if elapsed else 0.0,
        "latency_median": median(all_lat) if all_lat else None, "latency_p95": p95(all_lat) if all_lat else None,
        "client_cpu": cpu / (finished - window["start"]),
    }


def paging(client) -> tuple[int, int]:
    """The API's page size and number of pages (``?page=N``, ninja page-number envelope)."""
    first = client.get(f"{API}?page=1").json()
    second = client.get(f"{API}?page=2").json()
    if [m["id"] for m in first["items"]] == [m["id"] for m in second["items"]]:
        raise SystemExit(f"{API}?page=2 answered the same members as page 1: the API ignores ?page=N")
    return first["page_size"], first["pages"]


def page_path(n: int) -> str:
    return f"{API}?page={n}"


def run(rounds: int = 3) -> Section:
    from bench_data import admin_user
    from django.test import Client

    client = Client()
    client.force_login(admin_user())
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    size, pages = paging(client)
    kinds = {
        "bare": (lambda rng: BARE, 4000, 6.0),
        "api_any": (lambda rng: page_path(rng.randint(1, pages)), 1500, 10.0),
        "api_first": (lambda rng: page_path(rng.randint(1, min(FIRST_PAGES, pages))), 1500, 8.0),
    }
    port = free_port()
    server = Server(port)
    results = {k: [] for k in kinds}
    try:
        server.wait_ready()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for path in (BARE, page_path(2)):
            status, body = get(conn, path, cookie)
            if status != 200:
                raise SystemExit(f"GET {path} on the benchmark server answered {status}: {body[:200]!r}")
        conn.close()
        for name, (make_path, _n, _s) in kinds.items():  # warm-up: every client thread connects, workers warm up
            load(port, cookie, make_path, max_requests=CONCURRENCY * (3 if name == "bare" else 1), seconds=10)
        for r in range(rounds):
            for name, (make_path, max_requests, seconds) in kinds.items():
                result = load(port, cookie, make_path, max_requests=max_requests, seconds=seconds)
                results[name].append(result)
                log(f"api: round {r + 1} {name}: {result['rps']:.1f} req/s, median latency "
                    f"{ms(result['latency_median'] or 0)}, errors {result['errors']}")
    finally:
        server.stop()

    def summary(name):
        runs = results[name]
        return {
            "rps": median([x["rps"] for x in runs]), "rps_runs": [round(x["rps"], 1) for x in runs],
            "latency_median": median([x["latency_median"] for x in runs if x["latency_median"] is not None]),
            "latency_p95": max(x["latency_p95"] for x in runs if x["latency_p95"] is not None),
            "errors": sum(x["errors"] for x in runs), "requests": sum(x["requests"] for x in runs),
            "client_cpu": median([x["client_cpu"] for x in runs]),
        }

    bare, anyp, first = summary("bare"), summary("api_any"), summary("api_first")
    if any(s["errors"] for s in (bare, anyp, first)):
        samples = [x["error_samples"] for v in results.values() for x in v if x["errors"]]
        log(f"WARNING: errors during the load: {samples}")

    def fmt(s):
        return (f"{s['rps']:.1f} req/s (runs {', '.join(map(str, s['rps_runs']))}; latency median "
                f"{ms(s['latency_median'])}, p95 {ms(s['latency_p95'])})")

    def figure(label, s):
        share = s["rps"] / bare["rps"]
        return Figure(label, fmt(s), f"{bare['rps']:.1f} req/s bare view", f"{share * 100:.1f}% of bare",
                      f"≥ {TARGET * 100:.0f}% of bare", share >= TARGET and not s["errors"], s)

    figures = [figure(f"member list API, any page (1–{pages})", anyp),
               figure(f"member list API, pages 1–{min(FIRST_PAGES, pages)}", first)]
    figures[0].details["bare"] = bare
    cold, warm = after_write(client, pages)
    figures.append(Figure(
        "member list API, the request after a write (in-process)", f"{ms(median(cold))} (p95 {ms(p95(cold))})",
        f"{ms(median(warm))} the same page again", f"{median(cold) / median(warm):.1f}×",
        f"< {AFTER_WRITE_TARGET * 1000:.0f} ms", median(cold) < AFTER_WRITE_TARGET,
        {"after_write": cold, "again": warm}))
    method = (
        f"gunicorn on 127.0.0.1 with `dangjian serve`'s options (`{' '.join(server.command[2:])}`), "
        f"{CONCURRENCY} client threads with keep-alive connections, all as `qu_admin` (same session cookie). "
        f"Baseline: `{BARE}`, a bench-only view (bench/bench_urls.py) that loads the session and user through the "
        f"same middleware and returns a small JsonResponse. Page N is `?page=N` ({size} members a page)."
    )
    method += (f" {rounds} rounds of each (bare ≤ 4000 requests / 6 s, API ≤ 1500 requests / 8–10 s); "
               f"throughput counts the requests completed inside the window; the median round is reported. The "
               f"load generator itself used ~{bare['client_cpu']:.2f} CPU during the bare rounds (this machine has "
               f"{os.cpu_count()} cores shared by client and server).")
    method += (" Between writes, each server process holds the list's ids in order and the user's scope "
               "(core/stamps.py); the rounds make no writes. The last figure is the request that follows a write "
               f"to the member table (one no-op UPDATE, which renews its change stamp), so the ids are read again: "
               f"{len(cold)} random pages through Django's test Client, each right after a write and then once more.")
    notes = ""
    if not all(f.passed for f in figures[:2]):
        notes = where_time_goes(client, pages)
    return Section("api", "Member list API throughput", figures, method, notes)


def after_write(client, pages, runs: int = 9) -> tuple[list[float], list[float]]:
    """Seconds for a random page right after a write to the member table, and for the same page again."""
    from django.db.models import F

    from dangjian.members.models import Member

    pk = Member.objects.order_by("pk").values_list("pk", flat=True).first()
    rng = random.Random(7)
    cold, warm = [], []
    for _ in range(runs):
        Member.objects.filter(pk=pk).update(job=F("job"))  # changes nothing but the table's change stamp
        path = page_path(rng.randint(1, pages))
        for times in (cold, warm):
            started = time.perf_counter()
            if client.get(path).status_code != 200:
                raise SystemExit(f"GET {path} failed after a write")
            times.append(time.perf_counter() - started)
    return cold, warm


def where_time_goes(client, pages) -> str:
    from django.db import connection

    log("api: profiling requests in-process ...")
    from django.test import override_settings

    bare_times = []
    with override_settings(ROOT_URLCONF="bench_urls"):  # /bench/bare exists only in the benchmark's URLconf
        for _ in range(21):
            started = time.perf_counter()
            assert client.get(BARE).status_code == 200
            bare_times.append(time.perf_counter() - started)
    parts = [f"`GET {BARE}` took {median(bare_times) * 1000:.1f} ms in-process (median of 21).\n"]
    for label, n in (("page 1", 1), (f"page {pages // 2}", pages // 2)):
        path = page_path(n)
        client.get(path)
        started = time.perf_counter()
        client.get(path)
        took = time.perf_counter() - started
        with capture_queries(connection) as captured:
            client.get(path)
        costs = query_costs(connection, captured)
        parts.append(f"`GET {path}` ({label}) took {took * 1000:.0f} ms in-process; its queries cost "
                     f"{sum(c['seconds'] for c in costs) * 1000:.0f} ms:\n\n{costs_table(costs, 6)}\n")
    prof = profile(lambda: [client.get(page_path(1)) for _ in range(10)], top=15, only="", by="own")
    return ("**Where the time goes** (one request at a time, in-process):\n\n" + "\n".join(parts)
            + f"\nPython profile of 10 requests for page 1 (all code, by own time):\n\n```\n{prof}\n```\n")


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run bench/run.py --only api")
