"""Score entry in the pages: inline saves, the optimistic lock seen from two sessions, frozen years."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kaoping.assessments.models import ItemReturn, ReviewScore, SelfScore
from kaoping.assessments.results import results_recompute
from kaoping.assessments.workflow import campaign_advance
from kaoping.campaigns.models import Campaign, State
from kaoping.importing import file_import

from .conftest import SAMPLE, YEAR, ZY

HTMX = {"HTTP_HX_REQUEST": "true"}


def _self_save(client, item_id: str, score: str, note: str, version: int):
    return client.post(
        reverse("self_save", args=[ZY, item_id]), {"score": score, "note": note, "version": version}, **HTMX
    )


def _review_save(client, item_id: str, score: str, reason: str, version: int):
    return client.post(
        reverse("review_save", args=[ZY, item_id]),
        {"score": score, "reason": reason, "version": version},
        **HTMX,
    )


@pytest.mark.django_db
def test_self_score_saved_inline(year_open, client_for):
    client = client_for("filler")
    response = _self_save(client, "1.2", "0.5", "机构正在调整", 0)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith('<tr id="self-1_2"')  # only the row comes back
    assert "已保存" in text and 'value="0.50"' in text
    stored = SelfScore.objects.get(campaign=year_open, unit__code=ZY, item_id="1.2")
    assert stored.score == Decimal("0.50") and stored.note == "机构正在调整" and stored.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "score,message",
    [("abc", "不是数字"), ("1.5", "超出 0–1.00"), ("0.555", "最多保留 2 位小数")],
)
def test_bad_self_score_is_refused_next_to_the_row(year_open, client_for, score, message):
    response = _self_save(client_for("filler"), "1.2", score, "说明", 0)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text and f'value="{score}"' in text  # what was typed stays in the box
    assert not SelfScore.objects.filter(item_id="1.2").exists()


@pytest.mark.django_db
def test_two_sessions_saving_the_same_self_score(year_open, client_for):
    first, second = client_for("filler"), client_for("filler")  # the same person in two browsers
    assert _self_save(first, "1.3", "2", "全部参与会审", 0).status_code == 200
    clash = _self_save(second, "1.3", "1", "部分参与", 0)  # second still holds version 0
    assert clash.status_code == 409
    text = clash.content.decode()
    assert "保存冲突" in text and "已被zy_filler改为 2.00" in text
    assert "最新值" in text and "2.00（全部参与会审）" in text  # the newer value ...
    assert "您填写的" in text and "1（部分参与）" in text  # ... beside what was typed
    assert 'name="version" value="1"' in text  # saving again is a deliberate overwrite
    stored = SelfScore.objects.get(item_id="1.3", unit__code=ZY)
    assert stored.score == Decimal("2.00") and stored.note == "全部参与会审"
    assert _self_save(second, "1.3", "1", "部分参与", 1).status_code == 200
    assert SelfScore.objects.get(item_id="1.3", unit__code=ZY).score == Decimal("1.00")


@pytest.mark.django_db
def test_two_assessors_saving_the_same_review_score(year_review, client_for):
    assessor, group = client_for("assessor"), client_for("group")
    version = (
        ReviewScore.objects.filter(unit__code=ZY, item_id="1.5").values_list("version", flat=True).first()
        or 0
    )
    assert _review_save(group, "1.5", "1.5", "微信举报平台未建成", version).status_code == 200
    clash = _review_save(assessor, "1.5", "1", "传真机未配备", version)
    assert clash.status_code == 409
    text = clash.content.decode()
    assert "1.50（微信举报平台未建成）" in text and "1（传真机未配备）" in text
    assert ReviewScore.objects.get(unit__code=ZY, item_id="1.5").note == "微信举报平台未建成"


@pytest.mark.django_db
def test_review_below_maximum_needs_a_reason(year_review, client_for):
    response = _review_save(client_for("assessor"), "1.5", "1", "", 0)
    assert response.status_code == 400
    assert "必须写明扣分原因" in response.content.decode()


@pytest.mark.django_db
def test_assessor_scores_inline_and_sees_computed_score(year_review, client_for):
    client = client_for("assessor")
    page = client.get(reverse("review_queue"), {"unit": ZY, "item": "2.3"})
    text = page.content.decode()
    assert "12 个月中" in text  # the rule's explanation
    existing = ReviewScore.objects.filter(unit__code=ZY, item_id="2.3").first()
    response = _review_save(
        client, "2.3", "1.00", "抽查发现 2 份月报数据不实", existing.version if existing else 0
    )
    assert response.status_code == 200
    assert "考评（调整自动计分）" in response.content.decode()  # the override is named as such


@pytest.mark.django_db
def test_assessor_queue_is_its_departments_items_only(year_review, client_for):
    text = client_for("assessor_other").get(reverse("review_queue"), {"unit": ZY}).content.decode()
    shown = {
        row.split('id="review-430902-')[1].split('"')[0]
        for row in text.split("<tr")[1:]
        if 'id="review-' in row
    }
    assert shown == {"1_3", "1_4", "3_6", "3_7", "4_3"}  # 政策法规科's items (1.4 shared with 人事教育科)


@pytest.mark.django_db
def test_return_then_the_unit_changes_the_item(year_review, client_for):
    response = client_for("assessor").post(
        reverse("review_return", args=[ZY, "1.5"]), {"comment": "请补充经费文件"}, **HTMX
    )
    assert response.status_code == 200 and "已退回" in response.content.decode()
    filler = client_for("filler")
    page = filler.get(reverse("self_page")).content.decode()
    assert "退回意见：</strong>请补充经费文件" in page
    assert 'id="score-1_5"' in page and 'id="score-1_2"' not in page  # only the returned item is open
    version = SelfScore.objects.get(unit__code=ZY, item_id="1.5").version
    assert _self_save(filler, "1.5", "1.5", "已补充文件", version).status_code == 200
    assert ItemReturn.objects.get(item_id="1.5").resolved_at is not None
    assert _self_save(filler, "1.2", "0", "x", 1).status_code == 403


@pytest.mark.django_db
def test_frozen_year_refuses_edits_in_pages(year_review, client_for):
    campaign_advance(campaign=year_review, to=State.APPROVED)
    filler, assessor = client_for("filler"), client_for("assessor")
    response = _self_save(filler, "1.2", "0", "x", 1)
    assert response.status_code == 403 and "已冻结" in response.content.decode()
    response = _review_save(assessor, "1.5", "1", "x", 1)
    assert response.status_code == 403 and "已冻结" in response.content.decode()
    for client, url in ((filler, reverse("self_page")), (assessor, reverse("review_queue"))):
        text = client.get(url).content.decode()
        assert 'name="score"' not in text and "hx-post" not in text
    response = client_for("group").post(
        reverse("events"), {"unit": ZY, "kind": "约谈", "date": "2017-06-01", "reason": "x"}
    )
    assert "已冻结" in response.content.decode()


@pytest.mark.django_db
def test_a_save_goes_to_the_year_of_its_page(year_open, client_for):
    from kaoping.assessments.workflow import campaign_create

    later = campaign_create(year=2018, self_deadline=year_open.self_deadline)
    later = campaign_advance(campaign=later, to=State.SELF_ASSESSMENT)
    client = client_for("filler")
    page = client.get(reverse("self_page")).content.decode()
    assert '"X-Kaoping-Year": "2018"' in page  # the latest year is shown first
    client.get(reverse("year_choose"), {"year": 2017})
    # A row of the 2018 page saved after another tab switched to 2017 still lands in 2018.
    response = client.post(
        reverse("self_save", args=[ZY, "1.2"]),
        {"score": "1", "note": "2018 年度", "version": 0},
        HTTP_X_KAOPING_YEAR="2018",
        **HTMX,
    )
    assert response.status_code == 200
    assert SelfScore.objects.get(item_id="1.2").campaign == later


def _oob(text: str, element_id: str) -> str:
    """The out-of-band block with this id in an htmx response (empty when there is none)."""
    found = re.search(rf'<div [^>]*id="{element_id}"[^>]*hx-swap-oob="true"', text)
    if found is None:
        return ""
    start = found.start()
    return " ".join(re.sub(r"<[^>]+>", " ", text[start : text.index("</template>", start)]).split())


@pytest.mark.django_db
def test_self_save_updates_the_counters_and_the_submit_button(year_open, client_for):
    client = client_for("filler")
    page = client.get(reverse("self_page")).content.decode()
    assert 'id="submit-blocked"' in page and "还有 35 项未填" in page
    assert re.search(r"<button type=\"submit\" disabled[^>]*>提交自评</button>", page)
    text = _self_save(client, "1.2", "0.5", "机构正在调整", 0).content.decode()
    assert "1 / 35" in _oob(text, "self-progress") and "0.50" in _oob(text, "self-progress")
    assert "还有 34 项未填" in _oob(text, "self-submit")
    text = _self_save(client, "1.2", "1", "已比照科室管理", 1).content.decode()
    assert "1 / 35" in _oob(text, "self-progress") and "1.00" in _oob(text, "self-progress")
    text = _self_save(client, "1.2", "abc", "", 2).content.decode()  # refused: the counters still come back
    assert "1 / 35" in _oob(text, "self-progress")


@pytest.mark.django_db
def test_submitted_state_replaces_the_button(year_open, client_for, tmp_path):
    file_import(kind="self-scores", path=SAMPLE / "self-scores.csv", year=YEAR)
    client = client_for("filler")
    page = client.get(reverse("self_page")).content.decode()
    assert re.search(r"<button type=\"submit\">提交自评</button>", page) and "submit-blocked" not in page
    dashboard = client.get("/").content.decode()
    assert "全部填完后提交（已全部填完，可以提交）" in dashboard
    client.post(reverse("self_submit", args=[ZY]))
    page = client.get(reverse("self_page")).content.decode()
    assert "提交自评</button>" not in page and "资阳区的自评已于" in page
    dashboard = client.get("/").content.decode()
    assert (
        "全部填完后提交" not in dashboard
        and "提交，不能再修改；如需修改，请联系考评小组重新开放" in dashboard
    )


@pytest.mark.django_db
def test_submit_button_disabled_with_the_services_reason(year_open, client_for):
    file_import(kind="self-scores", path=SAMPLE / "self-scores.csv", year=YEAR)
    Campaign.objects.filter(pk=year_open.pk).update(self_deadline=datetime.date(2018, 1, 15))
    page = client_for("filler").get(reverse("self_page")).content.decode()
    assert re.search(r"disabled aria-describedby=\"submit-blocked\">提交自评</button>", page)
    assert "自评截止日期 2018年01月15日 已过" in page


@pytest.mark.django_db
def test_review_save_updates_the_counters(year_review, client_for):
    ReviewScore.objects.filter(unit__code=ZY, item_id="1.5").delete()
    results_recompute(year_review)  # deleted behind the services' back
    client = client_for("assessor")
    queue = client.get(reverse("review_queue")).context["progress"]
    text = _review_save(client, "1.5", "1.5", "微信举报平台尚未建成", 0).content.decode()
    counters = _oob(text, "review-progress")
    assert f"已有得分 / 总数 {queue['scored'] + 1} / {queue['total']}" in counters
    assert f"已录考评分 {queue['reviewed'] + 1}" in counters and f"未评 {queue['unscored'] - 1}" in counters
    text = client.post(reverse("review_return", args=[ZY, "1.6"]), {"comment": "请补充"}, **HTMX)
    assert f"已退回、待单位修改 {queue['returned'] + 1}" in _oob(text.content.decode(), "review-progress")


@pytest.mark.django_db
def test_a_review_save_that_could_not_get_the_database_lock_says_try_again(
    year_review, client_for, monkeypatch
):
    from django.db import OperationalError

    def give_up(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("kaoping.web.views.common.scores_set", give_up)
    response = _review_save(client_for("group"), "1.5", "1.5", "微信举报平台未建成", 0)
    assert response.status_code == 503
    assert "数据库正忙（另一项写入尚未完成），本次修改未保存；请稍后重试" in response.content.decode()
