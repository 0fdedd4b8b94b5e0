"""Writing scores through the API: optimistic locking, validation, state rules, and the frozen year."""

import pytest

from kaoping.audit.models import AuditEvent

from .conftest import OWNED_ITEM, YEAR, ZY, csv_bytes

ITEMS = f"/api/campaigns/{YEAR}/units/{ZY}/items"


def _put(client, item_id: str, kind: str, **body):
    return client.put(f"{ITEMS}/{item_id}/{kind}", body, content_type="application/json")


def _item(client, item_id: str) -> dict:
    return next(i for i in client.get(ITEMS).json()["items"] if i["id"] == item_id)


def test_second_writer_with_the_same_version_gets_409_naming_the_newer_value(self_year, client_for):
    first, second = client_for("filler_own"), client_for("filler_own2")
    assert _item(first, "1.3")["self_version"] == _item(second, "1.3")["self_version"] == 0

    saved = _put(first, "1.3", "self", score=2, note="已参与全部会审", version=0)
    clash = _put(second, "1.3", "self", score=1.5, note="部分参与", version=0)

    assert saved.status_code == 200, saved.content.decode()
    assert saved.json()["current"]["version"] == 1
    assert clash.status_code == 409
    body = clash.json()
    assert body["detail"] == (
        "资阳区 1.3 的自评分已被zy_filler改为 2.00（已参与全部会审），您的修改未保存；请核对最新值后再保存"
    )
    assert body["current"]["score"] == 2.0 and body["current"]["version"] == 1
    assert body["current"]["updated_by"] == "zy_filler"
    assert _item(second, "1.3")["self"]["score"] == 2.0
    changes = AuditEvent.objects.filter(action="self_score", unit_code=ZY, item_id="1.3")
    assert changes.count() == 1

    # Having seen the newer value, the second writer saves on top of it.
    retry = _put(second, "1.3", "self", score=1.5, note="部分参与", version=1)
    assert retry.status_code == 200
    assert retry.json()["current"] == {**retry.json()["current"], "score": 1.5, "version": 2}


def test_review_conflict_on_the_same_item(review_year, client_for):
    group, assessor = client_for("group"), client_for("assessor_own")
    assert _put(group, OWNED_ITEM, "review", score=1, note="", version=0).status_code == 200
    clash = _put(assessor, OWNED_ITEM, "review", score=0, note="机构未设置", version=0)
    assert clash.status_code == 409
    assert "已被leader改为 1.00" in clash.json()["detail"]
    assert AuditEvent.objects.filter(action="review_score", unit_code=ZY, item_id=OWNED_ITEM).count() == 1


def test_clearing_a_score_and_saving_the_same_value_again(self_year, client_for):
    client = client_for("filler_own")
    same = _put(client, OWNED_ITEM, "self", score=1, note="资阳区自评说明：机构设置文件见附件", version=1)
    assert same.status_code == 200 and same.json()["changed"] is False
    cleared = _put(client, OWNED_ITEM, "self", score=None, note="", version=1)
    assert cleared.status_code == 200
    assert cleared.json() == {
        "kind": "self",
        "unit": ZY,
        "item": OWNED_ITEM,
        "changed": True,
        "current": None,
    }
    assert _item(client, OWNED_ITEM)["self_version"] == 0


NOT_A_SCORE = '请求内容有误：score: 应为不小于 0 的数字，如 0.5 或 "0.5"'


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        # As the schema says, but above the item's points or with 3 decimals: a rule of the year (422).
        ({"score": 3, "note": "", "version": 1}, 422, "资阳区 1.2 的分值为 1.00，自评分 3 超出 0–1.00"),
        ({"score": "0.125", "note": "", "version": 1}, 422, "资阳区 1.2 的分数 0.125 最多保留 2 位小数"),
        # Not as the schema says (400).
        ({"score": "很好", "note": "", "version": 1}, 400, NOT_A_SCORE),
        ({"score": "NaN", "note": "", "version": 1}, 400, NOT_A_SCORE),
        ({"score": "", "note": "", "version": 1}, 400, NOT_A_SCORE),
        ({"score": True, "note": "", "version": 1}, 400, NOT_A_SCORE),
        ({"score": -1, "note": "", "version": 1}, 400, "请求内容有误：score: 不能小于 0"),
        ({"score": 1, "note": ""}, 400, "请求内容有误：version: 必填"),
        ({"score": 1, "note": "", "version": -1}, 400, "请求内容有误：version: 不能小于 0"),
        (
            {"score": 1, "note": "", "version": "1"},
            400,
            "请求内容有误：version: 应为数字（JSON 数值，不加引号）",
        ),
        ({"score": 1, "note": "a\x00b", "version": 1}, 400, "请求内容有误：note: 不能含有 NUL 字符（\\x00）"),
    ],
)
def test_bad_self_scores_are_refused_with_the_reason(self_year, client_for, body, status, detail):
    response = client_for("filler_own").put(
        f"{ITEMS}/{OWNED_ITEM}/self", body, content_type="application/json"
    )
    assert response.status_code == status
    assert response.json()["detail"] == detail


def test_review_below_maximum_or_overriding_a_rule_needs_a_reason(review_year, client_for):
    group = client_for("group")
    below = _put(group, OWNED_ITEM, "review", score=0.5, note=" ", version=0)
    assert below.status_code == 422
    assert below.json() == {"detail": "资阳区 1.2 考评分低于满分 1.00，必须写明扣分原因"}
    override = _put(group, "1.1", "review", score=3, note="", version=0)
    assert override.status_code == 422
    assert "自动计分条目" in override.json()["detail"]


def test_unknown_year_unit_and_item_are_404(self_year, client_for):
    group = client_for("group")
    assert group.get("/api/campaigns/2030").status_code == 404
    assert group.get(f"/api/campaigns/{YEAR}/units/999999/items").json() == {
        "detail": "没有代码为 999999 的单位，或您无权查看"
    }
    response = _put(client_for("filler_own"), "9.9", "self", score=1, note="", version=0)
    assert response.status_code == 404
    assert response.json() == {"detail": "yiyang-2017 细则中没有条目 9.9；条目编号如 1.1 … 6.4"}


def test_self_scores_close_when_review_starts(review_year, client_for):
    response = _put(client_for("filler_own"), "1.3", "self", score=2, note="", version=0)
    assert response.status_code == 403
    assert response.json() == {"detail": "考评处于“考评中”阶段，自评已关闭"}


def test_items_show_scores_versions_and_the_computed_score(review_year, client_for):
    _put(client_for("assessor_own"), OWNED_ITEM, "review", score=0.5, note="人员未到位", version=0)
    body = client_for("group").get(ITEMS).json()
    assert body["unit"] == {"code": ZY, "name": "资阳区"} and body["results_visible"] is True
    assert len(body["items"]) == 35
    manual = next(i for i in body["items"] if i["id"] == OWNED_ITEM)
    assert manual["self"]["score"] == 1.0 and manual["self_version"] == 1
    assert manual["review"]["note"] == "人员未到位" and manual["review_version"] == 1
    assert (manual["final"], manual["source"], manual["departments"]) == (0.5, "review", ["rsjy"])
    rule = next(i for i in body["items"] if i["id"] == "1.1")
    assert rule["method"] == "rule" and rule["source"] == "rule"
    assert rule["computed"] == rule["final"] == 0.75
    assert "1 个季度" in rule["explanation"]


FROZEN = "所有分数和台帐已冻结，不能再修改"


def test_every_write_to_a_frozen_year_is_refused_with_the_reason(approved_year, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kaoping.ledgers.models import Patch

    writes = {
        "self by the unit": _put(client_for("filler_own"), OWNED_ITEM, "self", score=0, note="", version=1),
        "self by admin": _put(client_for("admin"), OWNED_ITEM, "self", score=0, note="", version=1),
        "review by group": _put(client_for("group"), OWNED_ITEM, "review", score=1, note="", version=1),
        "review by assessor": _put(
            client_for("assessor_own"), OWNED_ITEM, "review", score=1, note="", version=1
        ),
        "import for the year": client_for("group").post(
            "/api/imports",
            {
                "kind": "patches",
                "year": YEAR,
                "file": SimpleUploadedFile(
                    "patches.csv",
                    csv_bytes(
                        [
                            ["图斑编号", "单位代码", "判定结果", "监测面积", "耕地面积", "是否履职到位"]
                            + ["是否查处到位", "是否整改到位", "是否形成卫片卷宗", "是否形成查处案卷"],
                            ["WP-1", ZY, "违法", "3.5", "1", "是", "是", "是", "是", "是"],
                        ]
                    ),
                ),
            },
        ),
        "back to review": client_for("group").post(
            f"/api/campaigns/{YEAR}/advance", {"to": "review"}, content_type="application/json"
        ),
    }
    for what, response in writes.items():
        assert response.status_code in (403, 409), (what, response.content.decode())
        detail = response.json()["detail"]
        assert "冻结" in detail or "不能退回" in detail, (what, detail)
    assert writes["self by the unit"].json()["detail"].endswith(FROZEN)
    assert Patch.objects.count() == 0
    assert (
        AuditEvent.objects.filter(
            action__in=["self_score", "review_score"], at__gt=approved_year.approved_at
        ).count()
        == 0
    )


def test_a_dated_ledger_row_of_a_frozen_year_is_a_row_error(approved_year, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    events = [["单位代码", "类型", "日期", "说明"], [ZY, "约谈", "2017-11-01", "补录约谈"]]
    response = client_for("group").post(
        "/api/imports", {"kind": "events", "file": SimpleUploadedFile("events.csv", csv_bytes(events))}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        "第 2 行 [日期]: 该记录计入已审定的 2017 年度考评，导入会改变该年度已冻结的结果；请删去此行，或只修改不影响 2017 年度的内容"
    ]


@pytest.mark.django_db(transaction=True)
def test_two_sessions_saving_at_the_same_moment(self_year, people):
    """Really concurrent: both start from version 0; exactly one is saved, the other gets 409."""
    import threading

    from django.db import connection
    from django.test import Client

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "in-memory SQLite (shared cache) locks whole tables; the file database and PostgreSQL do not"
        )
    barrier, statuses = threading.Barrier(2), {}

    def save(key: str, score: int) -> None:
        client = Client()
        client.force_login(people[key])
        barrier.wait()
        try:
            statuses[key] = _put(client, "1.3", "self", score=score, note=key, version=0).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=args) for args in (("filler_own", 2), ("filler_own2", 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses.values()) == [200, 409]
    assert AuditEvent.objects.filter(action="self_score", unit_code=ZY, item_id="1.3").count() == 1


class _Deadlock(Exception):
    sqlstate = "40P01"  # what psycopg's DeadlockDetected carries


@pytest.mark.parametrize(
    "cause",
    [Exception("database is locked"), _Deadlock("deadlock detected")],
    ids=["sqlite-locked", "postgresql-deadlock"],
)
def test_a_save_that_could_not_get_its_lock_is_a_503_to_retry_and_another_database_error_is_not(
    review_year, client_for, monkeypatch, cause
):
    from django.db import OperationalError

    def give_up(**kwargs):
        raise OperationalError(str(cause)) from cause

    monkeypatch.setattr("kaoping.api.scores.scores_set", give_up)
    response = _put(client_for("group"), OWNED_ITEM, "review", score=1, note="", version=0)
    assert response.status_code == 503 and response["Retry-After"] == "1"
    assert response.json() == {"detail": "数据库正忙（另一项写入尚未完成），本次修改未保存；请稍后重试"}

    def fail(**kwargs):
        raise OperationalError("no such table: assessments_reviewscore")

    monkeypatch.setattr("kaoping.api.scores.scores_set", fail)
    with pytest.raises(OperationalError):  # a real failure stays the server's 500, with its traceback
        _put(client_for("group"), OWNED_ITEM, "review", score=1, note="", version=0)
