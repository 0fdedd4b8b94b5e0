"""Campaign detail and progress, moving the state on, results as `kaoping results --json`, and the schema."""

import json

from django.test import Client

from kaoping.assessments.results import results_stored
from kaoping.campaigns.models import Campaign
from kaoping.scoring.outcome import outcome_to_json

from .conftest import YEAR, review_every_unscored_item

ADVANCE = f"/api/campaigns/{YEAR}/advance"


def _advance(client: Client, to: str | None = None):
    return client.post(ADVANCE, {"to": to} if to else {}, content_type="application/json")


def test_campaign_detail_with_settings_and_the_callers_progress(self_year, client_for):
    body = client_for("group").get(f"/api/campaigns/{YEAR}").json()
    assert {k: body[k] for k in ("year", "state", "state_label", "frozen", "rubric", "total_points")} == {
        "year": YEAR,
        "state": "self",
        "state_label": "自评中",
        "frozen": False,
        "rubric": "yiyang-2017",
        "total_points": 100.0,
    }
    assert body["settings"]["pass_min"] == 60.0 and body["settings"]["excellent_quota"] == 3
    assert body["settings"]["self_deadline"] == self_year.self_deadline.isoformat()
    # 8 units × 35 items; 22 manual items and 4.3 (no case file reviewed) await a review score.
    assert body["progress"] == {
        "units": 8,
        "items": 35,
        "self_scored": 1,
        "self_expected": 280,
        "self_submitted": 0,
        "review_items": 35,
        "reviewed": 0,
        "unscored": 8 * 23,
    }
    rsjy = [i for i in self_year.rubric.definition.items if "rsjy" in i.departments]
    progress = client_for("assessor_own").get(f"/api/campaigns/{YEAR}").json()["progress"]
    assert progress["review_items"] == len(rsjy)
    assert progress["unscored"] == 8 * sum(1 for i in rsjy if i.method == "manual" or i.id == "4.3")
    own = client_for("filler_own").get(f"/api/campaigns/{YEAR}").json()["progress"]
    assert (own["units"], own["self_scored"], own["self_expected"]) == (1, 1, 35)


def test_the_group_moves_the_year_on_and_the_party_approves_and_publishes(review_year, client_for):
    group, party = client_for("group"), client_for("party")
    refused = _advance(group)
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("还有 184 个条目未评，不能公示：资阳区 1.2、")
    assert _advance(party, "待审定").status_code == 403

    review_every_unscored_item(review_year)
    pending = _advance(group, "待审定")
    assert pending.status_code == 200 and pending.json()["state"] == "pending"
    early = _advance(group)
    assert early.status_code == 403 and early.json() == {"detail": "只有党组可以将考评推进到“已审定”"}
    approved = _advance(party)
    assert approved.json()["state"] == "approved" and approved.json()["frozen"] is True
    published = _advance(party)
    assert published.json()["state"] == "published" and published.json()["published_at"]
    assert _advance(party).json() == {"detail": "2017 年度考评已通报，没有下一个状态"}


def test_an_unknown_target_state_is_400(self_year, client_for):
    response = _advance(client_for("group"), "结束")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "请求内容有误：to: 应为以下之一：draft, 草稿, self, 自评中, review, 考评中, public, 公示中, pending, 待审定, "
        "approved, 已审定, published, 已通报"
    )
    assert Campaign.objects.get(year=YEAR).state == "self"


def test_results_are_the_cli_json_document(self_year, client_for):
    body = client_for("group").get(f"/api/campaigns/{YEAR}/results").json()
    assert body == outcome_to_json(results_stored(self_year))
    assert body["complete"] is False and {u["rank"] for u in body["units"]} == {None}
    item = body["units"][0]["items"]["1.1"]
    assert set(item) == {"score", "self", "source", "explanation"}


def test_results_match_kaoping_results_json_on_the_command_line(approved_year, client_for, capsys):
    from kaoping.cli import main

    assert main(["results", "--year", str(YEAR), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert client_for("party").get(f"/api/campaigns/{YEAR}/results").json() == printed
    assert printed["complete"] is True and printed["units"][0]["rank"] == 1


def test_openapi_schema_lists_every_endpoint_and_both_authentications(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "考评系统接口"
    operations = {(path, method) for path, methods in schema["paths"].items() for method in methods}
    assert operations == {
        ("/api/me", "get"),
        ("/api/units", "get"),
        ("/api/campaigns", "get"),
        ("/api/campaigns/{year}", "get"),
        ("/api/campaigns/{year}/advance", "post"),
        ("/api/campaigns/{year}/results", "get"),
        ("/api/campaigns/{year}/units/{code}/items", "get"),
        ("/api/campaigns/{year}/units/{code}/items/{item_id}/self", "put"),
        ("/api/campaigns/{year}/units/{code}/items/{item_id}/review", "put"),
        ("/api/campaigns/{year}/adjustments", "get"),
        ("/api/campaigns/{year}/adjustments", "post"),
        ("/api/campaigns/{year}/adjustments/{entry_id}", "delete"),
        ("/api/campaigns/{year}/objections", "get"),
        ("/api/campaigns/{year}/units/{code}/items/{item_id}/objection", "post"),
        ("/api/campaigns/{year}/objections/{objection_id}/answer", "post"),
        ("/api/imports", "post"),
    }
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    put = schema["paths"]["/api/campaigns/{year}/units/{code}/items/{item_id}/self"]["put"]
    assert {"200", "409", "403"} <= set(put["responses"])


def test_docs_page_uses_the_apps_own_swagger_files(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_the_swagger_files_are_served_by_the_app(db):
    # WhiteNoise serves the package's static files without collectstatic: the bureaus have no internet.
    response = Client().get("/static/ninja/swagger-ui-bundle.js")
    assert response.status_code == 200


def test_advance_takes_an_empty_body_and_a_broken_one_is_400_in_chinese(self_year, client_for):
    group = client_for("group")
    broken = group.post(ADVANCE, "{to:", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json() == {"detail": "请求内容不是合法的 JSON；请以 Content-Type: application/json 发送"}
    moved = group.generic("POST", ADVANCE)  # no body at all
    assert moved.status_code == 200, moved.content.decode()
    assert moved.json()["state"] == "review"
