"""Ledger upload: every row error and nothing written for a bad file; the count for a good one; scoping."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kaoping.api.tokens import api_token_create
from kaoping.assessments.workflow import campaign_create
from kaoping.ledgers.models import Case, Event, Patch

from .conftest import HS, YEAR, ZY, csv_bytes

PATCH_HEADERS = [
    "图斑编号",
    "单位代码",
    "判定结果",
    "监测面积",
    "耕地面积",
    "是否履职到位",
    "是否查处到位",
    "是否整改到位",
    "是否形成卫片卷宗",
    "是否形成查处案卷",
]


def _upload(client: Client, kind: str, rows: list[list], name: str = "data.csv", year: int | None = YEAR):
    data = {"kind": kind, "file": SimpleUploadedFile(name, csv_bytes(rows))}
    if year is not None:
        data["year"] = year
    return client.post("/api/imports", data)


def _platform(people) -> Client:
    """The 卫片 platform pushes patches with a token of a group account."""
    token = api_token_create(user=people["group"], name="卫片平台")
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_a_bad_file_returns_every_row_error_and_writes_nothing(self_year, people):
    rows = [
        PATCH_HEADERS,
        ["WP-001", ZY, "违法", "12.5", "3", "是", "是", "否", "是", "是"],
        ["WP-002", ZY, "疑似", "8", "2", "是", "是", "是", "是", "是"],
        ["WP-003", "999999", "合法", "-1", "0", "是", "是", "是", "是", "是"],
        ["WP-001", HS, "合法", "1", "0", "是", "是", "是", "是", "也许"],
    ]
    response = _upload(_platform(people), "patches", rows, name="卫片图斑.csv")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "卫片图斑.csv：发现 4 处错误，未导入任何数据"
    assert [e.split(" [")[0] for e in body["errors"]] == ["第 3 行", "第 4 行", "第 4 行", "第 5 行"]
    assert any("[判定结果]" in e and "疑似" in e for e in body["errors"])
    assert any("[单位代码]" in e and "999999" in e for e in body["errors"])
    assert any("[监测面积]" in e for e in body["errors"]) and any("也许" in e for e in body["errors"])
    assert Patch.objects.count() == 0


def test_a_good_file_reports_the_count(self_year, people):
    rows = [
        PATCH_HEADERS,
        ["WP-001", ZY, "违法", "12.5", "3", "是", "是", "否", "是", "是"],
        ["WP-002", HS, "合法", "8", "2", "是", "是", "是", "是", "是"],
    ]
    response = _upload(_platform(people), "patches", rows)
    assert response.status_code == 200, response.content.decode()
    assert response.json() == {
        "detail": "已导入 2 条卫片图斑：新增 2 条，更新 0 条",
        "kind": "patches",
        "label": "卫片图斑",
        "rows": 2,
        "created": 2,
        "updated": 0,
    }
    again = _upload(_platform(people), "patches", rows[:2])
    assert again.json()["detail"] == "已导入 1 条卫片图斑：新增 0 条，更新 1 条"
    assert (again.json()["created"], again.json()["updated"]) == (0, 1)
    assert set(Patch.objects.values_list("code", "year")) == {("WP-001", YEAR), ("WP-002", YEAR)}


def test_a_filler_imports_its_own_rows_only(self_year, client_for):
    own = [["单位代码", "类型", "日期", "说明"], [ZY, "业务培训", "2017-10-01", "二次培训"]]
    assert _upload(client_for("filler_own"), "events", own, year=None).json()["rows"] == 1

    mixed = own + [[HS, "业务培训", "2017-10-02", "代填"]]
    response = _upload(client_for("filler_own"), "events", mixed, year=None)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        "第 3 行 [单位代码]: 只能导入本单位（资阳区 430902）的记录，不能导入 430903 的"
    ]
    assert Event.objects.filter(unit__code=HS, note="代填").count() == 0


CASE_HEADERS = [
    "案件编号",
    "单位代码",
    "违法类型",
    "发现方式",
    "是否重大案件",
    "立案日期",
    "是否公开立案",
    "处罚程序",
    "处罚决定日期",
    "生效日期",
    "网上公布日期",
    "结案日期",
    "是否公开曝光",
    "曝光日期",
    "复议诉讼结果",
]


def _case(number: str, unit: str) -> list[str]:
    return [number, unit, "土地", "动态巡查", "否", "2017-03-01", "否", "", "", "", "", "", "否", "", "无"]


def test_a_filler_cannot_take_over_another_units_record_by_its_number(self_year, client_for):
    assert (
        _upload(client_for("filler_own"), "cases", [CASE_HEADERS, _case("ZY-2017-01", ZY)]).status_code == 200
    )
    response = _upload(client_for("filler_other"), "cases", [CASE_HEADERS, _case("ZY-2017-01", HS)])
    assert response.status_code == 422, response.content.decode()
    assert response.json()["errors"] == [
        "第 2 行 [案件编号]: ZY-2017-01 已是其他单位的记录，本单位不能导入或覆盖；请核对案件编号"
    ]
    assert Case.objects.get(number="ZY-2017-01").unit.code == ZY
    # The same number is the group's to correct: an unscoped import may move the record.
    assert _upload(client_for("group"), "cases", [CASE_HEADERS, _case("ZY-2017-01", HS)]).status_code == 200
    assert Case.objects.get(number="ZY-2017-01").unit.code == HS


def test_a_filler_cannot_take_over_another_units_patch_of_the_same_year(self_year, people, client_for):
    rows = [PATCH_HEADERS, ["WP-001", ZY, "违法", "12.5", "3", "是", "是", "否", "是", "是"]]
    assert _upload(_platform(people), "patches", rows).status_code == 200
    rows[1][1] = HS
    response = _upload(client_for("filler_other"), "patches", rows)
    assert response.status_code == 422
    assert response.json()["errors"][0].startswith("第 2 行 [图斑编号]: WP-001 已是其他单位的记录")
    # A patch is keyed by code *and* year: the same code in another year is another patch.
    campaign_create(year=2018)
    assert _upload(client_for("filler_other"), "patches", rows, year=2018).status_code == 200


def test_upload_problems_are_400_or_422_with_the_reason(self_year, people, client_for):
    group = client_for("group")
    # Not as the schema says: 400.
    unknown = _upload(group, "gossip", [["a"], ["b"]])
    assert unknown.status_code == 400 and unknown.json()["errors"] == [
        "kind: 应为以下之一：units, cases, submissions, tips, patches, events, casefile-reviews, "
        "self-scores, review-scores"
    ]
    no_file = group.post("/api/imports", {"kind": "events"})
    assert no_file.status_code == 400 and no_file.json()["errors"] == ["file: 必填"]
    no_year = _upload(group, "events", [["a"]], year=1999)
    assert no_year.status_code == 400 and no_year.json()["errors"] == ["year: 不能小于 2000"]
    # As the schema says, but the file cannot be read: 422.
    wrong_type = _upload(group, "events", [["a"]], name="events.txt")
    assert wrong_type.status_code == 422 and "不支持的文件类型" in wrong_type.json()["detail"]
    latin = group.post(
        "/api/imports", {"kind": "events", "file": SimpleUploadedFile("e.csv", "Größe,Maß".encode("latin-1"))}
    )
    assert latin.status_code == 422 and "不是 UTF-8 编码" in latin.json()["detail"]
    units = _upload(
        client_for("filler_own"), "units", [["单位代码", "单位名称"], ["430999", "新区"]], year=None
    )
    assert units.status_code == 403
