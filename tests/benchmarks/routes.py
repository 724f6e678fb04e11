"""`make bench`: Comité under load on the scale-1 dataset, one table of figures.

    python -m tests.benchmarks.routes [--scale 1] [--duration 5] [--connections 16]

What it does, in one run:
1. a fresh PostgreSQL database (TEST_DATABASE_URL's server, database `comite_bench`),
   migrated, filled by `flask --app comite generate-dataset --scale N`; a séance in progress
   with an open item is added so that a member can vote;
2. gunicorn with 2 sync workers (as in production) on a free port of 127.0.0.1;
3. for each route, wrk from a second process on loopback (16 connections, bounded in time)
   through tests/benchmarks/wrk_report.lua: requests/s, p50, p95, p99, bytes per response;
4. the SQL statements of one request of each route, counted in-process with the same data;
5. the table, with the issue's targets printed beside the figures (never asserted).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import requests

from tests.benchmarks.setup import BenchData, bench_app, count_statements, current_stamp, prepare
from tests.databases import fresh_postgres_database, postgres_url

ROOT = Path(__file__).resolve().parents[2]
LUA = Path(__file__).with_name("wrk_report.lua")


@dataclass(frozen=True)
class Route:
    label: str
    path: str
    user: str | None  # a key of BenchData.users, None for anonymous
    method: str = "GET"
    body: str = ""
    htmx: bool = False
    kind: str = "page"  # page | reference | vote | poll


def routes(data: BenchData) -> list[Route]:
    return [
        Route("/healthz", "/healthz", None, kind="reference"),
        Route("/accessibilite", "/accessibilite", None, kind="reference"),
        Route("Startups filtrées", "/startups?phase=construction", "admin"),
        Route("Historique d'une startup", f"/startups/{data.startup_slug}/historique", "admin"),
        Route("Séance (membre)", f"/seances/{data.meeting_id}", "member"),
        Route(
            "Décompte inchangé (204)",
            f"/seances/{data.meeting_id}/en-cours/etat?depuis={data.live_stamp}",
            "admin",
            htmx=True,
            kind="poll",
        ),
        Route(
            "Vote (POST htmx)",
            f"/seances/{data.meeting_id}/points/{data.item_id}/vote",
            "member",
            method="POST",
            body=urlencode({"voter": data.member_id, "choice": "continuer"}),
            htmx=True,
            kind="vote",
        ),
        Route("Mes startups (accueil)", "/", "intrapreneur"),
        Route("Registre des décisions", "/exports/decisions", "finance"),
        Route("Bon de commande", f"/commandes/{data.order_id}", "finance"),
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _login(base_url: str, user_id: int) -> tuple[str, str]:
    """A session cookie and its CSRF token, through the development login."""
    session = requests.Session()
    page = session.get(f"{base_url}/connexion", timeout=10).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    if token is None:
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    response = session.post(
        f"{base_url}/connexion/dev",
        data={"user_id": user_id, "csrf_token": token.group(1) if token else ""},
        allow_redirects=False,
        timeout=10,
    )
    if response.status_code != 303:
        raise SystemExit(f"Connexion de développement refusée ({response.status_code}).")
    home = session.get(f"{base_url}/", timeout=10).text
    csrf = re.search(r'"X-CSRFToken": "([^"]+)"', home)
    cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
    return cookie, csrf.group(1) if csrf else ""


def _wrk(url: str, route: Route, login: tuple[str, str] | None, args) -> dict:
    env = {**os.environ}
    for name in ("WRK_METHOD", "WRK_BODY", "WRK_COOKIE", "WRK_CSRF", "WRK_HTMX"):
        env.pop(name, None)
    if route.method != "GET":
        env["WRK_METHOD"], env["WRK_BODY"] = route.method, route.body
    if login:
        env["WRK_COOKIE"], env["WRK_CSRF"] = login
    if route.htmx:
        env["WRK_HTMX"] = "1"
    output = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--timeout",
            "5s",
            "-s",
            str(LUA),
            url + route.path,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    return json.loads(line.removeprefix("WRK_JSON "))


def _targets(route: Route, figures: dict, reference: dict, statements: dict) -> str:
    """The issue's targets beside the figures: ✓ met, ✗ missed."""

    def mark(ok: bool, text: str) -> str:
        return f"{'✓' if ok else '✗'} {text}"

    p95_ms = figures["p95"] / 1000
    if route.kind == "page":
        share = figures["rps"] / reference["/accessibilite"]
        return ", ".join(
            (
                mark(share >= 0.70, "≥ 70 % de /accessibilite"),
                mark(p95_ms < 50, "p95 < 50 ms"),
                mark(statements[route.label] <= 8, "≤ 8 requêtes SQL"),
            )
        )
    if route.kind == "vote":
        return mark(p95_ms < 30, "p95 < 30 ms")
    if route.kind == "poll":
        return mark(figures["rps"] / reference["/healthz"] >= 0.5, "≥ 50 % de /healthz")
    return "référence"


def main() -> None:
    parser = argparse.ArgumentParser(description="Comité sous charge : une table de mesures.")
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--duration", type=int, default=5, help="secondes par route")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk manque : `make bench` l'installe (paquet Debian wrk).")

    database = fresh_postgres_database(postgres_url("bench"))
    env = {
        **os.environ,
        "COMITE_ENV": "test",
        "SECRET_KEY": "bench-secret-key",
        "COMITE_DEV_LOGIN": "1",
        "DATABASE_URL": database,
        # The limits stay on (their cost is measured) but far above what wrk sends.
        "RATELIMIT_LOGIN": "1000000 per minute",
        "RATELIMIT_VOTE": "1000000 per minute",
    }
    flask = [sys.executable, "-m", "flask", "--app", "comite"]
    started = time.perf_counter()
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(
        [*flask, "generate-dataset", "--scale", str(args.scale)],
        env=env,
        cwd=ROOT,
        check=True,
    )
    print(f"Jeu de données (échelle {args.scale:g}) : {time.perf_counter() - started:.1f} s")
    data = prepare(database)
    app = bench_app(database, WTF_CSRF_ENABLED=False)
    statements = count_statements(
        app,
        [
            (r.label, r.method, r.path, data.users.get(r.user) if r.user else None, r.body, r.htmx)
            for r in routes(data)
        ],
    )
    data.live_stamp = current_stamp(database, data.meeting_id)

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "wsgi:app",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base_url}/healthz", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn n'a pas démarré.")
            time.sleep(0.2)
        logins = {key: _login(base_url, user_id) for key, user_id in data.users.items()}
        results = {}
        for route in routes(data):
            results[route.label] = _wrk(base_url, route, logins.get(route.user), args)
    finally:
        server.terminate()
        server.wait(timeout=20)

    reference = {label: results[label]["rps"] for label in ("/healthz", "/accessibilite")}
    _print_table(routes(data), results, reference, statements, args)


def _print_table(all_routes, results, reference, statements, args) -> None:
    print()
    print(
        f"gunicorn 2 workers sync, wrk {args.connections} connexions, {args.duration} s par route,"
        f" machine : {os.cpu_count()} cœurs"
    )
    header = (
        f"{'route':<28} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'octets':>7} "
        f"{'SQL':>7} {'/healthz':>8} {'/access.':>8} {'non 2xx':>7}  cibles"
    )
    print(header)
    print("-" * len(header))
    for route in all_routes:
        figures = results[route.label]
        sql = statements.get(route.label, 0)
        print(
            f"{route.label:<28} {figures['rps']:>8.0f} {figures['p50'] / 1000:>7.1f} "
            f"{figures['p95'] / 1000:>7.1f} {figures['p99'] / 1000:>7.1f} "
            f"{figures['bytes'] // max(figures['requests'], 1):>7} {sql:>7} "
            f"{figures['rps'] / reference['/healthz']:>8.0%} "
            f"{figures['rps'] / reference['/accessibilite']:>8.0%} "
            f"{figures['non_2xx_3xx']:>7}  {_targets(route, figures, reference, statements)}"
        )
    print(
        "SQL : requêtes d'une requête HTTP (mesurées hors charge) ; qu'elles ne croissent pas "
        "avec les données est vérifié par tests/test_query_counts.py."
    )


if __name__ == "__main__":
    main()
