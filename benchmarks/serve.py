"""`qengine serve` under load: concurrent respondents answering gp_backup (issue 16).

Run by hand: `python benchmarks/serve.py` (options: --help). It starts
`qengine serve` on SQLite (one worker), then on PostgreSQL (two workers) when
there is one (QENGINE_TEST_POSTGRES_URL, or Debian's binaries for a throwaway
cluster, as the tests do), and for each runs N respondents at once (asyncio):
each starts a response, answers page by page what the state shows (the questions
of its page and those shown before it), pausing before each page's answers as a
person reading, then submits at once (as the form's last Next does); then it
starts again along a new path. Paths are random valid respondents drawn with
`qengine.testing.respondents`.

The respondents speak HTTP/1.1 by hand over one keep-alive connection each, as a
browser holds one (`Connection`): httpx took as much CPU per request as the server
(2.4 ms), on the same two cores. They still read every reply whole, parse its
JSON, follow the state it gives and check status codes; every submitted response
is then compared with what `qengine play` gives (lost).

Printed per database: answer requests per second, their latency (p50, p95, p99),
the responses completed, the requests that failed (errors), the submitted
responses the database does not hold as `qengine play` gives them (lost), and the
CPU time the server's processes spent per answer request (starting and submitting
responses included; PostgreSQL's own processes not counted), and the same for the
respondents' side. The CPU figures depend much less than the rates and latencies
on what else the machine runs (a busy machine still makes them a third or so
higher): one core serves about 1000 / (server CPU ms) answer requests a second,
and the simulated respondents need their own share of the same two cores.

Targets on a 2-core machine: 200 concurrent respondents, at least 300 answer
requests/s on SQLite with p99 under 200 ms, 0 errors, 0 lost; PostgreSQL with two
workers at least as fast.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
from hypothesis import HealthCheck, Phase, given, seed, settings

import qengine
from qengine.runtime.play import play
from qengine.serve.storage import Store, create_engine, database_url
from qengine.testing import respondents

ROOT = Path(__file__).parent.parent
SURVEY = ROOT / "surveys" / "gp_backup.qdl"
sys.path.insert(0, str(ROOT / "tests"))
from serve_fixtures import free_port, fresh_database, postgres_cluster  # noqa: E402


def draw_paths(survey, n: int, at: int) -> list[tuple[dict, dict]]:
    """Random respondents who submitted (seeded): their answers, and the response
    `qengine play` gives for them."""
    paths: list[tuple[dict, dict]] = []

    @seed(at)
    @settings(max_examples=n, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(respondents(survey))
    def collect(respondent):
        played = play(survey, respondent.answers)
        if respondent.response is not None and played.complete:
            paths.append((dict(respondent.answers), played.response))

    collect()
    return paths


class Load:
    """What the respondents did and met."""

    def __init__(self, until: float):
        self.until = until
        self.latencies: list[float] = []  # answer requests, seconds
        self.answered = 0  # answer requests that got their reply before `until`
        self.errors: list[str] = []
        self.submitted: dict[int, dict] = {}  # response id -> the response play gives


class Connection:
    """One HTTP/1.1 keep-alive connection: JSON posts written by hand, each reply
    read whole (status line, headers, a body of its Content-Length) and parsed."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str):
        self.reader, self.writer, self.host = reader, writer, host

    @classmethod
    async def open(cls, url: str) -> Connection:
        address = url.removeprefix("http://")
        host, port = address.rsplit(":", 1)
        reader, writer = await asyncio.open_connection(host, int(port))
        return cls(reader, writer, address)

    async def post(self, path: str, data: dict | None = None) -> tuple[int, dict | None, bytes]:
        """(status, the reply's JSON, its body)."""
        body = b"" if data is None else json.dumps(data).encode()
        self.writer.write(f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                          f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = dict(line.split(": ", 1) for line in head[1:] if line)
        length = next((int(v) for k, v in headers.items() if k.lower() == "content-length"), None)
        if length is None:
            raise ConnectionError(f"a reply without Content-Length: {head[0]}")
        reply = await self.reader.readexactly(length)
        return status, json.loads(reply) if reply else None, reply

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


async def respondent(url: str, paths: list[tuple[dict, dict]], load: Load, think: float,
                     rng: random.Random) -> None:
    """One person after another at one device (one connection): new paths until
    time is up."""
    try:
        client = await Connection.open(url)
    except OSError as err:
        load.errors.append(f"connect: {err}")
        return
    try:
        while time.monotonic() < load.until:
            answers, expected = rng.choice(paths)
            status, created, text = await client.post("/api/responses")
            if status != 201 or created is None:
                load.errors.append(f"create: {status} {text[:200]!r}")
                return
            token, state, sent = created["token"], created["state"], set()
            while True:
                codes = [*state["shown"], *(state["page"]["questions"] if state["page"] else [])]
                batch = {c: answers[c] for c in codes if c in answers and c not in sent}
                if not batch:  # submitted at once, as the form's last Next does
                    break
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
                sent.update(batch)
                start = time.perf_counter()
                status, reply, text = await client.post(f"/api/responses/{token}/answers", {"answers": batch})
                load.latencies.append(time.perf_counter() - start)
                load.answered += time.monotonic() <= load.until
                if status != 200 or reply is None:
                    load.errors.append(f"answers: {status} {text[:200]!r}")
                    return
                state = reply["state"]
            status, reply, text = await client.post(f"/api/responses/{token}/submit")
            if status != 200 or reply is None or reply["response"] != expected:
                load.errors.append(f"submit: {status} {text[:200]!r}")
                return
            load.submitted[created["id"]] = expected
    except (OSError, asyncio.IncompleteReadError, ValueError) as err:
        load.errors.append(f"{type(err).__name__}: {err}")
    finally:
        await client.close()


async def run_load(url: str, paths: list[tuple[dict, dict]], n: int, rate: float, seconds: float) -> Load:
    """`n` respondents for `seconds` (each then finishes the path it is on),
    pausing so that together they offer about `rate` answer requests a second."""
    load = Load(time.monotonic() + seconds)
    await asyncio.gather(*(respondent(url, paths, load, n / rate, random.Random(i)) for i in range(n)))
    return load


def _run(coroutine):
    """On uvloop where there is one (it is in the serve extra): the client's own
    overhead takes less of the machine the server runs on."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def lost(database: str, survey, load: Load) -> int:
    """Submitted responses the database does not hold as `qengine play` gives them."""
    engine = create_engine(database_url(database), pool_size=1)
    try:
        stored = {row.id: row.response for row in Store(engine, survey.code).responses(partial=False)}
    finally:
        engine.dispose()
    return sum(stored.get(i) != response for i, response in load.submitted.items())


def serve(database: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-c", "from qengine.cli import main; main()", "serve", str(SURVEY), "--db", database,
               "--port", str(port), "--workers", str(workers), "--rate-limit", "0"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return server, url
        except httpx.TransportError:
            time.sleep(0.1)
    os.killpg(server.pid, signal.SIGKILL)
    raise SystemExit("the server did not start")


def cpu_seconds(group: int) -> float:
    """CPU time used so far by the processes of a process group (Linux)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == group:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure(name: str, database: str, workers: int, survey, paths, args) -> list:
    server, url = serve(database, workers)
    try:
        before, client = cpu_seconds(server.pid), time.process_time()
        load = _run(run_load(url, paths, args.respondents, args.rate, args.seconds))
        used, client = cpu_seconds(server.pid) - before, time.process_time() - client
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    ms = sorted(x * 1000 for x in load.latencies) or [0.0]
    q = statistics.quantiles(ms, n=100) if len(ms) > 1 else ms * 99
    for error in load.errors[:5]:
        print(f"  {name}: {error}", file=sys.stderr)
    return [name, workers, args.respondents, f"{load.answered / args.seconds:.0f}", f"{q[49]:.0f}", f"{q[94]:.0f}",
            f"{q[98]:.0f}", len(load.submitted), len(load.errors), lost(database, survey, load),
            f"{1000 * used / max(len(load.latencies), 1):.1f}", f"{1000 * client / max(len(load.latencies), 1):.1f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=200, help="concurrent respondents (200)")
    parser.add_argument("--rate", type=float, default=330,
                        help="answer requests a second the respondents offer together (330)")
    parser.add_argument("--seconds", type=float, default=30, help="how long new paths are started (30)")
    parser.add_argument("--paths", type=int, default=300, help="random respondents drawn (300)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database only")
    args = parser.parse_args()
    survey = qengine.load(SURVEY)
    paths = draw_paths(survey, args.paths, args.seed)
    print(f"{len(paths)} random paths through {survey.code}; {args.respondents} respondents offering about "
          f"{args.rate:.0f} answer requests/s for {args.seconds:.0f} s", file=sys.stderr)
    rows = []
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        if args.only != "postgresql":
            database = stack.enter_context(fresh_database("sqlite", None, directory))
            rows.append(measure("SQLite", database, 1, survey, paths, args))
        if args.only != "sqlite":
            try:
                cluster = stack.enter_context(postgres_cluster())
            except BaseException as err:  # pytest's skip outside pytest: no PostgreSQL here
                print(f"PostgreSQL left out: {err}", file=sys.stderr)
            else:
                database = stack.enter_context(fresh_database("postgresql", cluster, directory))
                rows.append(measure("PostgreSQL", database, 2, survey, paths, args))
    header = ["database", "workers", "respondents", "answer req/s", "p50 ms", "p95 ms", "p99 ms", "completed",
              "errors", "lost", "server CPU ms/answer", "client CPU ms/answer"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(str(v).rjust(w) if i else str(v).ljust(w) for i, (v, w) in enumerate(zip(r, widths, strict=True))))


if __name__ == "__main__":
    main()
