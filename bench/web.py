"""The web step: `kaoping serve` (gunicorn) on loopback, a session per user, then wrk with 20 clients."""

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect (e.g. to the login page) is an answer to report
        return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(kaoping: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    """The application as users start it (`kaoping serve`), until the block ends; yields its base URL."""
    port = _free_port()
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*kaoping, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"kaoping serve did not start; see {log}")
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def login(base: str, username: str, password: str) -> str:
    """Log in through the real login form; return the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    page = opener.open(f"{base}/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise RuntimeError("the login page has no CSRF token")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
    ).encode()
    try:
        opener.open(f"{base}/login/", data=form, timeout=30)
        raise RuntimeError(f"login as {username} did not redirect (wrong password?)")
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"login as {username} set no session cookie")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def fetch_once(base: str, path: str, cookie: str) -> tuple[int, float, int]:
    """(status, seconds, bytes) of one request; a redirect is reported as its status, not followed."""
    opener = urllib.request.build_opener(_NoRedirect())
    request = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie})
    start = time.perf_counter()
    try:
        with opener.open(request, timeout=120) as answer:
            body = answer.read()
            return answer.status, time.perf_counter() - start, len(body)
    except urllib.error.HTTPError as answer:
        return answer.code, time.perf_counter() - start, 0


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def load(base: str, path: str, cookie: str, *, clients: int, seconds: int) -> dict:
    """p50 / p95 / requests per second of one page under `clients` concurrent connections (wrk)."""
    threads = max(1, min(clients, os.cpu_count() or 1))
    completed = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "60s",
            "-s",
            str(WRK_SCRIPT),
            f"{base}{path}",
        ],
        env={**os.environ, "BENCH_COOKIE": cookie},
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(text for text in reversed(completed.stdout.splitlines()) if text.startswith("{"))
    result = json.loads(line)
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    if not result["requests"]:  # no answer within the run: latency is at least its length
        result.update(p50_ms=None, p95_ms=None)
    return result


def save_timings(base: str, cookie: str, path: str, *, count: int, note: str = "reason") -> dict:
    """`count` inline saves of one score, as the page's row posts them (htmx, CSRF header, the version
    the row was drawn with; the note field is `reason` for a review score, `note` for a self score),
    one after another; p50 / p95 in ms and the statuses seen."""
    token = re.search(r"csrftoken=([^;]+)", cookie)
    if token is None:
        raise RuntimeError("the session has no CSRF cookie")
    opener = urllib.request.build_opener(_NoRedirect())
    version, seconds, statuses = "0", [], {}
    for n in range(-1, count):  # the first save learns the row's version (a 409 names it) and is not counted
        form = urllib.parse.urlencode(
            {"score": "0.50" if n % 2 else "0.25", note: "基准测试：行内保存", "version": version}
        ).encode()
        request = urllib.request.Request(
            f"{base}{path}",
            data=form,
            headers={"Cookie": cookie, "X-CSRFToken": token[1], "HX-Request": "true", "Referer": base + "/"},
        )
        start = time.perf_counter()
        try:
            with opener.open(request, timeout=60) as answer:
                body, status = answer.read().decode(), answer.status
        except urllib.error.HTTPError as answer:
            body, status = answer.read().decode(), answer.code
        if n >= 0:
            seconds.append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1
        found = re.search(r'name="version" value="(\d+)"', body)
        version = found[1] if found else version
    seconds.sort()
    return {
        "p50_ms": seconds[len(seconds) // 2] * 1000,
        "p95_ms": seconds[min(len(seconds) - 1, int(len(seconds) * 0.95))] * 1000,
        "statuses": statuses,
    }
