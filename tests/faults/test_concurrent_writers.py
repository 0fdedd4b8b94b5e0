"""20 API writers at once, over real HTTP against `kaoping serve` (2 worker processes × 4 threads), on the same
two items of one unit: every save either lands (200) or is refused with 409 by the version check; no accepted
change is lost, and the audit trail holds exactly one row per accepted change, its old value the new value of
the change before it on that item."""

import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal

import pytest

pytestmark = pytest.mark.faults

WRITERS, ROUNDS = 20, 6
UNIT, ITEMS = "430902", {"1.3": Decimal(2), "2.1": Decimal(3)}  # manual items of 2 and 3 points
ITEMS_URL = f"/api/campaigns/2017/units/{UNIT}/items"


@dataclass(frozen=True)
class Attempt:
    writer: str
    item: str
    sent_version: int
    score: str
    note: str
    status: int
    body: dict


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Api:
    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            text = error.read()
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, {"detail": text.decode(errors="replace")}


@pytest.fixture(scope="module")
def server(deployment):
    """2017 in 考评中, 20 考评小组 accounts with tokens, and the server on a free port."""
    tokens = json.loads(deployment.python("review_year.py", str(WRITERS)))
    port = free_port()
    log = (deployment.home / "serve.log").open("w")  # the server's errors, if a test needs to see them
    process = subprocess.Popen(
        deployment.command("serve", "--port", str(port), "--workers", "2", "--threads", "4"),
        env=deployment.env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(Api(base, next(iter(tokens.values()))), process)
        yield {"base": base, "tokens": tokens, "process": process}
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def wait_until_serving(api: Api, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if api.call("GET", ITEMS_URL)[0] == 200:
                return
        except OSError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)


def write(api: Api, writer: str, n: int, attempts: list[Attempt], start: threading.Barrier) -> None:
    """ROUNDS saves, each from the version just read, alternating between the two items."""
    start.wait()
    for k in range(ROUNDS):
        item = list(ITEMS)[(n + k) % len(ITEMS)]
        status, listing = api.call("GET", ITEMS_URL)
        assert status == 200, listing
        version = next(i for i in listing["items"] if i["id"] == item)["review_version"]
        score = (ITEMS[item] * Decimal((n * ROUNDS + k) % 9) / 8).quantize(Decimal("0.01"))
        note = f"{writer} 第 {k + 1} 次：扣分原因见评分记录"
        body = {"score": str(score), "note": note, "version": version}
        status, answer = api.call("PUT", f"{ITEMS_URL}/{item}/review", body)
        attempts.append(Attempt(writer, item, version, f"{score:.2f}", note, status, answer))


def test_twenty_writers_on_the_same_items_lose_no_update_and_leave_one_audit_row_per_change(
    deployment, server
):
    attempts: list[Attempt] = []
    start = threading.Barrier(WRITERS)
    threads = [
        threading.Thread(target=write, args=(Api(server["base"], token), writer, n, attempts, start))
        for n, (writer, token) in enumerate(server["tokens"].items())
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began

    assert len(attempts) == WRITERS * ROUNDS
    unexpected = [(a.status, a.body) for a in attempts if a.status not in (200, 409)]
    assert unexpected == []
    accepted = [a for a in attempts if a.status == 200]
    refused = [a for a in attempts if a.status == 409]
    assert accepted and refused  # the writers really raced
    assert all(a.body["changed"] for a in accepted)  # every save changes the value (its note is its own)
    for attempt in refused:  # refused only because someone else saved since it was read
        assert attempt.body["current"]["version"] > attempt.sent_version
        assert attempt.body["detail"].endswith("您的修改未保存；请核对最新值后再保存")

    for item in ITEMS:
        landed = sorted((a for a in accepted if a.item == item), key=lambda a: a.body["current"]["version"])
        # Each accepted save made the next version from the one it read: none was overwritten unseen.
        assert [a.body["current"]["version"] for a in landed] == list(range(1, len(landed) + 1))
        assert [a.sent_version for a in landed] == list(range(len(landed)))
        trail = deployment.query(
            "SELECT actor_label, old, new FROM audit_auditevent "
            f"WHERE action = 'review_score' AND unit_code = '{UNIT}' AND item_id = '{item}' ORDER BY id"
        )
        trail = [(actor, _json(old), _json(new)) for actor, old, new in trail]
        assert [(actor, new) for actor, _, new in trail] == [
            (a.writer, {"score": a.score, "note": a.note}) for a in landed
        ]
        assert [old for _, old, _ in trail] == [None] + [new for _, _, new in trail[:-1]]
        stored = deployment.query(
            "SELECT score, note, version FROM assessments_reviewscore AS s JOIN org_unit AS u "
            f"ON u.id = s.unit_id WHERE u.code = '{UNIT}' AND s.item_id = '{item}'"
        )
        assert [(f"{Decimal(str(s)):.2f}", n, v) for s, n, v in stored] == [
            (landed[-1].score, landed[-1].note, len(landed))
        ]
    assert deployment.kaoping("audit", "verify").startswith("审计链完整：已校验 ")
    print(
        f"\n{deployment.vendor}: {WRITERS} writers × {ROUNDS} saves on 2 items in {seconds:.1f} s: "
        f"{len(accepted)} accepted, {len(refused)} refused with 409"
    )


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def test_a_save_that_waits_too_long_for_the_sqlite_write_lock_is_a_retryable_503_in_chinese(
    deployment, server
):
    if deployment.vendor != "sqlite":
        pytest.skip("PostgreSQL waits for row locks; only SQLite gives up with 'database is locked'")
    import sqlite3

    port = free_port()
    impatient = subprocess.Popen(
        deployment.command("serve", "--port", str(port), "--workers", "1", "--threads", "4"),
        env={**deployment.env, "KAOPING_SQLITE_TIMEOUT": "0.5"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    writer, token = next(iter(server["tokens"].items()))
    api = Api(f"http://127.0.0.1:{port}", token)
    try:
        wait_until_serving(api, impatient)
        status, listing = api.call("GET", ITEMS_URL)
        version = next(i for i in listing["items"] if i["id"] == "1.3")["review_version"]
        # Another process (an import of a national file, say) holds the write lock for longer than 0.5 s.
        holder = sqlite3.connect(deployment.file, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            body = {"score": "1.5", "note": f"{writer} 锁等待中的保存", "version": version}
            status, answer = api.call("PUT", f"{ITEMS_URL}/1.3/review", body)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert (status, answer) == (
            503,
            {"detail": "数据库正忙（另一项写入尚未完成），本次修改未保存；请稍后重试"},
        )
        # Nothing was written; the same save a moment later lands.
        assert api.call("PUT", f"{ITEMS_URL}/1.3/review", body)[0] == 200
    finally:
        impatient.terminate()
        impatient.wait(timeout=30)


def test_the_server_as_started_by_default_answers_twenty_readers_each_with_their_own_account(
    deployment, server
):
    """`kaoping serve` with its defaults (one thread per worker process): every worker has its own
    database connection, so 20 people reading at once each get their own answer, never a 500 or another
    reader's rows (an inherited connection, shared by the workers, once mixed up PostgreSQL's answers)."""
    port = free_port()
    default = subprocess.Popen(
        deployment.command("serve", "--port", str(port), "--workers", "3"),
        env=deployment.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    answers: dict[str, list[tuple[int, object]]] = {writer: [] for writer in server["tokens"]}
    start = threading.Barrier(len(answers))

    def read(writer: str, token: str) -> None:
        api = Api(f"http://127.0.0.1:{port}", token)
        start.wait()
        for _ in range(15):
            status, me = api.call("GET", "/api/me")
            answers[writer].append((status, me.get("username")))
            status, listing = api.call("GET", ITEMS_URL)
            answers[writer].append((status, len(listing.get("items", []))))

    try:
        wait_until_serving(Api(f"http://127.0.0.1:{port}", next(iter(server["tokens"].values()))), default)
        readers = [threading.Thread(target=read, args=pair) for pair in server["tokens"].items()]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()
    finally:
        default.terminate()
        default.wait(timeout=30)
    items = {n for answer in answers.values() for status, n in answer[1::2]}
    assert len(items) == 1 and items != {0}, items
    for writer, seen in answers.items():
        assert seen[::2] == [(200, writer)] * 15
        assert {status for status, _ in seen[1::2]} == {200}
