"""申诉 through the API: a unit objects while the year is on view (multipart, with a file), the item's
department answers; each sees what the policy lets it see."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaoping.assessments.models import Objection, UnitResult
from kaoping.assessments.workflow import campaign_advance
from kaoping.campaigns.models import State

from .conftest import YEAR, ZY, review_every_unscored_item

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def on_view(review_year, people):
    review_every_unscored_item(review_year)
    return campaign_advance(campaign=review_year, actor=people["group"], to=State.PUBLIC)


def _object(client, item="1.2", claimed="0.5", reason="材料已齐全"):
    return client.post(
        f"/api/campaigns/{YEAR}/units/{ZY}/items/{item}/objection",
        {"reason": reason, "claimed": claimed, "files": [SimpleUploadedFile("说明.pdf", PDF)]},
    )


def test_a_unit_objects_and_the_owning_department_answers(on_view, client_for):
    # Every item is at full marks here: 1.2 (1 point) is claimed at 0.5, and 人事教育科 lowers it.
    filed = _object(client_for("filler_own"))
    assert filed.status_code == 200, filed.json()
    body = filed.json()
    assert (body["unit_code"], body["item_id"], body["claimed"], body["score_before"]) == (
        ZY,
        "1.2",
        "0.50",
        "1.00",
    )
    assert body["decision"] is None and body["files"] == ["说明.pdf"]
    assert _object(client_for("filler_own")).json()["detail"].endswith("每个条目只能申诉一次")
    other = client_for("filler_other")
    assert _object(other).status_code == 404
    assert other.get(f"/api/campaigns/{YEAR}/objections").json() == []

    url = f"/api/campaigns/{YEAR}/objections/{body['id']}/answer"
    change = {"decision": "改分", "answer": "经复核确有缺项", "score": "0.5"}
    refused = client_for("assessor_other").post(url, change, content_type="application/json")
    assert refused.status_code == 404  # 执法监察支队 does not own 1.2: the objection is not in its view
    answered = client_for("assessor_own").post(url, change, content_type="application/json")
    assert answered.status_code == 200, answered.json()
    assert (answered.json()["decision"], answered.json()["score_after"]) == ("改分", "0.50")
    result = UnitResult.objects.get(unit__code=ZY)
    assert result.items["1.2"]["score"] == "0.50"
    again = client_for("group").post(url, change, content_type="application/json")
    assert again.status_code == 409 and "已于" in again.json()["detail"]
    listed = client_for("party").get(f"/api/campaigns/{YEAR}/objections", {"status": "changed"}).json()
    assert [(o["unit_code"], o["item_id"]) for o in listed] == [(ZY, "1.2")]


def test_bad_answers_say_what_is_wrong(on_view, client_for):
    objection_id = _object(client_for("filler_own")).json()["id"]
    url = f"/api/campaigns/{YEAR}/objections/{objection_id}/answer"
    group = client_for("group")
    no_reason = group.post(url, {"decision": "维持", "answer": " "}, content_type="application/json")
    assert no_reason.status_code == 400 and no_reason.json()["detail"].startswith("请求内容有误：answer")
    no_score = group.post(url, {"decision": "改分", "answer": "改"}, content_type="application/json")
    assert no_score.status_code == 422 and no_score.json()["detail"] == "改分须填写新的得分"
    too_high = group.post(
        url, {"decision": "改分", "answer": "改", "score": "3"}, content_type="application/json"
    )
    assert too_high.status_code == 422 and "超出 0–1.00" in too_high.json()["detail"]
    assert Objection.objects.get().decision == ""
    upheld = group.post(url, {"decision": "维持", "answer": "材料不全"}, content_type="application/json")
    assert upheld.status_code == 200 and upheld.json()["score_after"] == "1.00"
    assert UnitResult.objects.get(unit__code=ZY).items["1.2"]["score"] == "1.00"
    assert Decimal(upheld.json()["claimed"]) == Decimal("0.5")
