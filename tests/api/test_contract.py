"""The API's published contract: every answer under /api/ is JSON in the API's error shape, and the OpenAPI
schema names every status and content type an operation gives (schemathesis checks the rest against a live
server, test_schemathesis.py)."""

import json

import pytest
from django.test import Client

from kaoping.api.tokens import api_token_create

from .conftest import OWNED_ITEM, YEAR, ZY


def _json_error(response, status: int) -> str:
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) <= {"detail", "errors"}
    return body["detail"]


@pytest.mark.parametrize(
    "path",
    [
        f"/api/campaigns/{YEAR}/units/999999/result",  # no such operation (…/items is one)
        "/api/nope",
        "/api/campaigns/abc",
        "/api/",
    ],
)
def test_an_unknown_path_under_api_is_a_json_404_in_chinese(self_year, client_for, path):
    detail = _json_error(client_for("group").get(path), 404)
    assert detail == f"没有这个接口或对象：GET {path}；接口列表见 /api/docs"


def test_an_unknown_year_or_unit_is_a_json_404_naming_it(self_year, client_for):
    group = client_for("group")
    assert _json_error(group.get("/api/campaigns/2031"), 404) == "没有 2031 年度的考评，或该年度尚未开始"
    unit = group.get(f"/api/campaigns/{YEAR}/units/999999/items")
    assert _json_error(unit, 404) == "没有代码为 999999 的单位，或您无权查看"
    item = group.put(
        f"/api/campaigns/{YEAR}/units/{ZY}/items/9.9/review",
        {"score": 1, "version": 0},
        content_type="application/json",
    )
    assert "细则中没有条目 9.9" in _json_error(item, 404)


def test_a_method_no_operation_takes_is_a_json_405_with_allow(self_year, client_for):
    response = client_for("group").delete("/api/me")
    assert _json_error(response, 405) == "/api/me 不支持 DELETE 方法；可用：GET"
    assert response["Allow"] == "GET"


@pytest.mark.parametrize(
    ("path", "error"),
    [
        # Out of the ranges the schema states; a year beyond PostgreSQL's smallint was a 500 there.
        ("/api/campaigns/1999", "year: 不能小于 2000"),
        ("/api/campaigns/40000/results", "year: 不能大于 2100"),
        (f"/api/campaigns/{YEAR}/units/43090%00/items", "code: 应为六位数字的单位代码，如 430902"),
        (f"/api/campaigns/{YEAR}/units/4309020/items", "code: 应为六位数字的单位代码，如 430902"),
    ],
)
def test_path_values_outside_the_schema_are_a_json_400(self_year, client_for, path, error):
    response = client_for("group").get(path)
    assert _json_error(response, 400) == f"请求内容有误：{error}"
    assert response.json()["errors"] == [error]


def test_an_entry_id_beyond_a_database_id_is_400_not_a_server_error(self_year, client_for):
    response = client_for("group").delete(
        f"/api/campaigns/{YEAR}/adjustments/{2**63}", json.dumps({"reason": "误录"}), "application/json"
    )
    assert response.json()["errors"] == ["entry_id: 不能大于 9223372036854775807"]
    assert _json_error(response, 400)


def test_authentication_and_csrf_refusals_are_json(self_year, people, client_for):
    anonymous = Client().get("/api/campaigns")
    assert _json_error(anonymous, 401) == "请先登录，或在 Authorization 头中提供接口令牌"
    revoked = Client(headers={"Authorization": "Bearer kp_not-a-token"}).get("/api/campaigns")
    assert _json_error(revoked, 401) == "接口令牌无效、已吊销或其用户已停用"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["group"])
    no_csrf = browser.post(f"/api/campaigns/{YEAR}/advance", "{}", content_type="application/json")
    assert _json_error(no_csrf, 403).startswith("CSRF 校验失败")


def test_a_server_error_under_api_is_json_too(self_year, people, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("kaoping.api.campaigns.campaign_detail", broken)
    token = api_token_create(user=people["group"], name="测试")
    client = Client(headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False)
    detail = _json_error(client.get(f"/api/campaigns/{YEAR}"), 500)
    assert detail == "服务器内部错误，已记入日志；请稍后重试，或联系系统管理员"
    assert "boom" not in detail


def test_a_score_the_schema_allows_is_taken_or_refused_by_a_rule_never_as_malformed(self_year, client_for):
    """The schema's score is a number ≥ 0 or decimal text; either is read, and a value above the item's
    points is refused by the rule (422), not as "应为数字"."""
    schema = client_for("group").get("/api/openapi.json").json()
    score = schema["components"]["schemas"]["ScoreIn"]["properties"]["score"]
    assert score["anyOf"] == [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$"},
        {"type": "null"},
    ]
    filler = client_for("filler_own")
    url = f"/api/campaigns/{YEAR}/units/{ZY}/items/{OWNED_ITEM}/self"
    version = filler.get(f"/api/campaigns/{YEAR}/units/{ZY}/items").json()["items"][1]["self_version"]
    for value, stored in [(0.5, 0.5), ("0.75", 0.75), (1, 1.0)]:
        response = filler.put(url, {"score": value, "version": version}, content_type="application/json")
        assert response.status_code == 200, response.content.decode()
        assert response.json()["current"]["score"] == stored
        version = response.json()["current"]["version"]
    above = filler.put(url, {"score": "2", "version": version}, content_type="application/json")
    assert _json_error(above, 422) == "资阳区 1.2 的分值为 1.00，自评分 2 超出 0–1.00"


def test_the_schema_documents_every_status_and_content_type(self_year, client_for):
    schema = client_for("group").get("/api/openapi.json").json()
    writes = {"put", "post", "delete"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            where = f"{method.upper()} {path}"
            assert "401" in responses, where
            if "{" in path:
                assert {"400", "404"} <= set(responses), where
            if method in writes and "advance" not in path and "{entry_id}" not in path:
                assert "422" in responses, where
            for status, answer in responses.items():
                assert list(answer["content"]) == ["application/json"], (where, status)
            if "409" in responses:  # a score's conflict carries the value saved meanwhile
                conflict = "ConflictOut" if path.endswith(("/self", "/review")) else "ErrorOut"
                assert responses["409"]["content"]["application/json"]["schema"]["$ref"].endswith(conflict), (
                    where
                )
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["detail"]


def test_a_request_body_over_djangos_limit_is_a_json_400(self_year, client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_for("group").put(
        f"/api/campaigns/{YEAR}/units/{ZY}/items/{OWNED_ITEM}/review",
        json.dumps({"score": 1, "note": "长" * 1000, "version": 0}),
        content_type="application/json",
    )
    assert _json_error(response, 400) == "请求不合法：请求内容过大、请求头或请求格式有误"
