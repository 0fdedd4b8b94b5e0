"""Every endpoint × every role → the expected status; nothing of 资阳区 reaches anyone outside it."""

import json

import pytest

from .conftest import HS, OWNED_ITEM, ROLES, SECRET_NOTE, YEAR, ZY, csv_bytes

ITEMS = f"/api/campaigns/{YEAR}/units/{ZY}/items"
UPLOAD_EVENTS = [["单位代码", "类型", "日期", "说明"], [ZY, "业务培训", "2017-10-01", "二次培训"]]

# role:            me   units camps camp items results self advance import
EXPECTED_SELF_STAGE = {
    "filler_own": (200, 200, 200, 200, 200, 403, 200, 403, 200),
    "filler_other": (200, 200, 200, 200, 404, 403, 404, 403, 422),
    "assessor_own": (200, 200, 200, 200, 200, 403, 403, 403, 403),
    "assessor_other": (200, 200, 200, 200, 200, 403, 403, 403, 403),
    "group": (200, 200, 200, 200, 200, 200, 403, 200, 200),
    "party": (200, 200, 200, 200, 200, 200, 403, 403, 403),
    "admin": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "anonymous": (401,) * 9,
    "token": (200, 200, 200, 200, 200, 403, 200, 403, 200),
}
ENDPOINTS = ["me", "units", "campaigns", "campaign", "items", "results", "self", "advance", "import"]


def _call(client, endpoint: str):
    if endpoint == "me":
        return client.get("/api/me")
    if endpoint == "units":
        return client.get("/api/units")
    if endpoint == "campaigns":
        return client.get("/api/campaigns")
    if endpoint == "campaign":
        return client.get(f"/api/campaigns/{YEAR}")
    if endpoint == "items":
        return client.get(ITEMS)
    if endpoint == "results":
        return client.get(f"/api/campaigns/{YEAR}/results")
    if endpoint == "self":
        body = {"score": "0.5", "note": "机构已设置，人员未到位", "version": 1}
        return client.put(f"{ITEMS}/{OWNED_ITEM}/self", body, content_type="application/json")
    if endpoint == "advance":
        return client.post(f"/api/campaigns/{YEAR}/advance", {}, content_type="application/json")
    if endpoint == "import":
        upload = _file("events.csv", csv_bytes(UPLOAD_EVENTS))
        return client.post("/api/imports", {"kind": "events", "year": YEAR, "file": upload})
    raise AssertionError(endpoint)


def _file(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def _leaks(body: bytes) -> list[str]:
    text = body.decode()
    return [marker for marker in ("资阳区", SECRET_NOTE, "zy_filler") if marker in text]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_for_every_role_in_self_assessment(self_year, client_for, role, endpoint):
    response = _call(client_for(role), endpoint)
    expected = EXPECTED_SELF_STAGE[role][ENDPOINTS.index(endpoint)]
    assert response.status_code == expected, response.content.decode()
    body = response.json()
    if expected >= 400:
        assert isinstance(body["detail"], str) and body["detail"], body
    if role == "filler_other":
        assert not _leaks(response.content), response.content.decode()


# role → status of PUT review on 资阳区's item 1.2 (owned by rsjy) while 考评中
EXPECTED_REVIEW = {
    "filler_own": 403,
    "filler_other": 404,
    "assessor_own": 200,
    "assessor_other": 403,
    "group": 200,
    "party": 403,
    "admin": 200,
    "anonymous": 401,
    "token": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_review_score_by_every_role(review_year, client_for, role):
    body = {"score": "0.5", "note": "人员未到位", "version": 0}
    response = client_for(role).put(f"{ITEMS}/{OWNED_ITEM}/review", body, content_type="application/json")
    assert response.status_code == EXPECTED_REVIEW[role], response.content.decode()
    if role == "filler_other":
        assert not _leaks(response.content)
    if response.status_code == 200:
        assert response.json()["current"]["score"] == 0.5


def test_assessor_is_refused_an_item_of_another_department(review_year, client_for):
    body = {"score": "0.5", "note": "人员未到位", "version": 0}
    response = client_for("assessor_other").put(
        f"{ITEMS}/{OWNED_ITEM}/review", body, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "条目 1.2 不归执法监察支队考评"}


def test_filler_gets_the_same_404_for_another_unit_as_for_no_unit(self_year, client_for):
    client = client_for("filler_other")
    for code in (ZY, "999999"):
        response = client.get(f"/api/campaigns/{YEAR}/units/{code}/items")
        assert response.status_code == 404
        assert response.json() == {"detail": f"没有代码为 {code} 的单位，或您无权查看"}
        response = client.put(
            f"/api/campaigns/{YEAR}/units/{code}/items/1.2/self",
            {"score": 1, "note": "", "version": 1},
            content_type="application/json",
        )
        assert response.status_code == 404


def test_assessor_sees_only_its_department_items(self_year, client_for):
    own = client_for("assessor_own").get(ITEMS).json()
    assert [i["id"] for i in own["items"]] == ["1.2", "1.4", "1.6"]
    assert own["items"][0]["self"]["note"] == SECRET_NOTE
    other = client_for("assessor_other").get(ITEMS)
    assert OWNED_ITEM not in [i["id"] for i in other.json()["items"]]
    assert SECRET_NOTE not in other.content.decode()


def test_a_draft_year_is_seen_by_the_group_and_admin_only(people, client_for):
    from kaoping.assessments.workflow import campaign_create

    campaign_create(year=2018)
    for role in ("filler_own", "assessor_own", "party", "token"):
        assert client_for(role).get("/api/campaigns").json() == [], role
        assert client_for(role).get("/api/campaigns/2018").status_code == 404, role
    for role in ("group", "admin"):
        assert [c["state"] for c in client_for(role).get("/api/campaigns").json()] == ["draft"]
        assert client_for(role).get("/api/campaigns/2018").status_code == 200


def test_filler_sees_only_its_unit_everywhere_once_published(published_year, client_for):
    client = client_for("filler_other")
    bodies = [
        client.get("/api/units"),
        client.get("/api/campaigns"),
        client.get(f"/api/campaigns/{YEAR}"),
        client.get(f"/api/campaigns/{YEAR}/results"),
        client.get(f"/api/campaigns/{YEAR}/units/{HS}/items"),
        client.get(ITEMS),
    ]
    assert [r.status_code for r in bodies] == [200, 200, 200, 200, 200, 404]
    for response in bodies[:-1]:
        assert ZY not in response.content.decode()
    for response in bodies:
        assert not _leaks(response.content)
    assert bodies[0].json() == [{"code": HS, "name": "赫山区"}]
    assert [u["code"] for u in bodies[3].json()["units"]] == [HS]
    assert bodies[2].json()["progress"]["units"] == 1


def test_filler_sees_no_review_or_result_before_publication(review_year, client_for):
    client_for("group").put(
        f"{ITEMS}/{OWNED_ITEM}/review",
        {"score": "0.5", "note": "人员未到位", "version": 0},
        content_type="application/json",
    )
    body = client_for("filler_own").get(ITEMS).json()
    assert body["results_visible"] is False
    item = next(i for i in body["items"] if i["id"] == OWNED_ITEM)
    assert item["self"]["note"] == SECRET_NOTE
    assert (item["review"], item["review_version"], item["final"], item["computed"]) == (
        None,
        None,
        None,
        None,
    )
    assert "人员未到位" not in json.dumps(body, ensure_ascii=False)
    progress = client_for("filler_own").get(f"/api/campaigns/{YEAR}").json()["progress"]
    assert (progress["reviewed"], progress["unscored"]) == (None, None)


def test_user_without_role_is_refused(self_year, db):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.create_user("nobody"))
    assert client.get("/api/me").json()["role"] is None
    response = client.get("/api/campaigns")
    assert response.status_code == 403
    assert response.json() == {"detail": "您的账号尚未分配角色，请联系管理员"}


def test_results_once_published(published_year, client_for):
    from kaoping.assessments.results import results_stored
    from kaoping.scoring.outcome import outcome_to_json

    everything = outcome_to_json(results_stored(published_year))
    for role in ("assessor_own", "assessor_other", "group", "party", "admin"):
        response = client_for(role).get(f"/api/campaigns/{YEAR}/results")
        assert response.status_code == 200, role
        assert response.json() == everything
    for role, code in (("filler_own", ZY), ("token", ZY), ("filler_other", HS)):
        body = client_for(role).get(f"/api/campaigns/{YEAR}/results").json()
        assert body == {**everything, "units": [u for u in everything["units"] if u["code"] == code]}
