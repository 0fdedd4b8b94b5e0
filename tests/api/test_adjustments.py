"""The API's 加分和扣分记录: the group records (multipart, with evidence) and deletes; every role reads what
the policy lets it; the results carry the adjustments of a rubric that declares them."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaoping.assessments.models import AdjustmentEntry
from kaoping.assessments.workflow import campaign_advance
from kaoping.campaigns.models import State

from .conftest import ZY

PDF = b"%PDF-1.4\n%%EOF\n"
BASIS = "湘国土资办函〔2017〕12号 通报表扬"
URL = "/api/campaigns/2017/adjustments"


def post(client, **changes):
    fields = {"unit": ZY, "adjustment": "J1", "date": "2017-06-01", "basis": BASIS}
    fields.update(changes)
    fields["file"] = SimpleUploadedFile("表扬通报.pdf", PDF, content_type="application/pdf")
    return client.post(URL, fields)


def test_the_group_records_reads_and_deletes_an_entry(bonus_year, client_for):
    group = client_for("group")
    response = post(group)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert {
        k: body[k] for k in ("unit", "unit_name", "item", "kind", "date", "points", "basis", "evidence")
    } == {
        "unit": ZY,
        "unit_name": "资阳区",
        "item": "J1",
        "kind": "bonus",
        "date": "2017-06-01",
        "points": 1.0,
        "basis": BASIS,
        "evidence": "表扬通报.pdf",
    }
    assert [e["id"] for e in group.get(URL).json()] == [body["id"]]
    results = group.get("/api/campaigns/2017/results").json()
    zy = next(u for u in results["units"] if u["code"] == ZY)
    assert (zy["total"], zy["items_total"], zy["adjustments"]["J1"]["score"]) == (95.98, 94.98, 1.0)
    assert zy["adjustments"]["J1"]["entries"] == [{"date": "2017-06-01", "basis": BASIS}]

    refused = group.delete(f"{URL}/{body['id']}", json.dumps({"reason": ""}), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == ["reason: 必填，不能只有空格，不能含有 NUL 字符（\\x00）"]
    deleted = group.delete(
        f"{URL}/{body['id']}", json.dumps({"reason": "误录"}), content_type="application/json"
    )
    assert deleted.status_code == 200 and deleted.json()["id"] == body["id"]
    assert not AdjustmentEntry.objects.exists()
    missing = group.delete(
        f"{URL}/{body['id']}", json.dumps({"reason": "误录"}), content_type="application/json"
    )
    assert missing.status_code == 404


@pytest.mark.parametrize("who", ["filler_own", "assessor_other", "party", "token"])
def test_only_the_group_may_record(bonus_year, client_for, who):
    response = post(client_for(who))
    assert response.status_code == 403
    assert response.json() == {"detail": "只有考评小组可以记录加分和扣分"}
    assert not AdjustmentEntry.objects.exists()


def test_bad_input_is_answered_in_chinese(bonus_year, client_for):
    group = client_for("group")
    assert post(group, adjustment="J9").json() == {
        "detail": "2017 年度细则中没有加减分项“J9”；可用：J1（加分：经验推广和表彰）"
    }
    assert post(group, unit="999999").status_code == 404
    response = group.post(URL, {"unit": ZY, "adjustment": "J1", "date": "2017-06-01", "basis": BASIS})
    assert response.status_code == 400 and response.json()["errors"] == ["file: 必填"]


def test_who_reads_the_entries(bonus_year, client_for):
    post(client_for("group"))
    for who in ("group", "party", "assessor_other", "admin"):
        assert len(client_for(who).get(URL).json()) == 1, who
    assert client_for("filler_own").get(URL).json() == []  # before 通报: a unit sees no scores
    campaign_advance(campaign=bonus_year, to=State.PUBLISHED)
    assert len(client_for("filler_own").get(URL).json()) == 1
    assert client_for("filler_other").get(URL).json() == []
