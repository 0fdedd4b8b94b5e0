"""The year's workflow in the pages: submit, move the campaign on (or be told why not), approve,
publish, events, rectification, reopening and the downloads."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from kaoping.assessments.models import Rectification, Sanction, SelfAssessment
from kaoping.assessments.results import results_stored
from kaoping.assessments.services import self_assessment_submit
from kaoping.assessments.workflow import campaign_advance, campaign_create
from kaoping.audit.models import AuditEvent
from kaoping.campaigns.models import Campaign, State
from kaoping.importing import file_import
from kaoping.ledgers.models import Event
from kaoping.org.models import Unit

from .conftest import SAMPLE, YEAR, ZY


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _own_self_scores(tmp_path, *, skip: set[str]) -> None:
    """资阳区's sample self scores, less some items, imported the way a 填报员's sheet would be."""
    lines = (SAMPLE / "self-scores.csv").read_text(encoding="utf-8").splitlines()
    rows = [lines[0]] + [line for line in lines[1:] if line.startswith(ZY) and line.split(",")[1] not in skip]
    path = tmp_path / "self-scores.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    file_import(kind="self-scores", path=path, year=YEAR)


@pytest.mark.django_db
def test_submit_refused_with_the_missing_items_then_accepted(year_open, client_for, tmp_path):
    _own_self_scores(tmp_path, skip={"6.3", "6.4"})
    client = client_for("filler")
    response = client.post(reverse("self_submit", args=[ZY]), follow=True)
    assert "还有 2 个条目没有自评分，不能提交：6.3、6.4" in response.content.decode()
    assert not SelfAssessment.objects.filter(submitted_at__isnull=False).exists()
    _own_self_scores(tmp_path, skip=set())
    response = client.post(reverse("self_submit", args=[ZY]), follow=True)
    assert "资阳区的自评已提交" in response.content.decode()
    page = client.get(reverse("self_page")).content.decode()
    assert "本单位自评已提交，不能再修改" in page and 'name="score"' not in page


@pytest.mark.django_db
def test_group_reopens_a_submitted_self_assessment(year_open, client_for, tmp_path):
    _own_self_scores(tmp_path, skip=set())
    filler = client_for("filler")
    filler.post(reverse("self_submit", args=[ZY]))
    response = client_for("group").post(
        reverse("self_reopen", args=[ZY]), {"until": "2099-01-01", "reason": "补充佐证材料"}, follow=True
    )
    assert "已重新开放资阳区的自评" in response.content.decode()
    assert 'name="score"' in filler.get(reverse("self_page")).content.decode()


@pytest.mark.django_db
def test_submit_refused_outside_self_assessment(year_review, client_for):
    response = client_for("filler").post(reverse("self_submit", args=[ZY]), follow=True)
    assert "只有“自评中”可以提交自评" in response.content.decode()


@pytest.mark.django_db
def test_group_moves_the_campaign_and_sees_the_refusal(year_open, client_for):
    group = client_for("group")
    response = group.post(reverse("campaign_move"), {"direction": "forward", "from": "self"}, follow=True)
    assert "已进入“考评中”阶段" in response.content.decode()
    response = group.post(reverse("campaign_move"), {"direction": "forward", "from": "review"}, follow=True)
    text = response.content.decode()
    assert "未能变更状态" in text and "个条目未评，不能公示" in text and "资阳区 1.2" in text
    assert Campaign.objects.get(year=YEAR).state == State.REVIEW
    response = group.post(reverse("campaign_move"), {"direction": "back", "from": "review"}, follow=True)
    assert "已进入“自评中”阶段" in response.content.decode()


@pytest.mark.django_db
def test_stale_state_button_is_refused(year_open, client_for):
    response = client_for("group").post(
        reverse("campaign_move"), {"direction": "forward", "from": "review"}, follow=True
    )
    assert "考评状态已被他人改为“自评中”" in response.content.decode()
    assert Campaign.objects.get(year=YEAR).state == State.SELF_ASSESSMENT


@pytest.mark.django_db
def test_party_approves_then_publishes(year_review, client_for):
    campaign_advance(campaign=year_review, to=State.PENDING_APPROVAL)
    party = client_for("party")
    page = party.get(reverse("approval")).content.decode()
    assert ">审定</button>" in page
    response = party.post(
        reverse("campaign_move"),
        {"direction": "forward", "from": "pending", "next": "/approval/"},
        follow=True,
    )
    assert "已进入“已审定”阶段" in response.content.decode()
    assert Campaign.objects.get(year=YEAR).is_frozen
    response = party.post(reverse("campaign_move"), {"direction": "forward", "from": "approved"}, follow=True)
    assert "已进入“已通报”阶段" in response.content.decode()


@pytest.mark.django_db
def test_group_cannot_approve(year_review, client_for):
    campaign_advance(campaign=year_review, to=State.PENDING_APPROVAL)
    response = client_for("group").post(reverse("campaign_move"), {"direction": "forward"}, follow=True)
    assert "只有党组可以将考评推进到“已审定”" in response.content.decode()


@pytest.mark.django_db
def test_event_recorded_with_reason_and_audit(year_review, client_for):
    group = client_for("group")
    response = group.post(reverse("events"), {"unit": ZY, "kind": "问责", "date": "2017-09-01", "reason": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    response = group.post(
        reverse("events"),
        {"unit": ZY, "kind": "问责", "date": "2017-09-01", "reason": "违法占地问题整改不力"},
        follow=True,
    )
    assert "已记录：资阳区 2017-09-01 问责" in response.content.decode()
    assert Event.objects.filter(unit__code=ZY, kind="问责", note="违法占地问题整改不力").exists()
    assert AuditEvent.objects.filter(
        action="event_record", unit_code=ZY, reason="违法占地问题整改不力"
    ).exists()
    results = group.get(reverse("results")).content.decode()
    assert "取消评优资格：本年度被问责" in results
    response = group.post(
        reverse("events"), {"unit": ZY, "kind": "党组听取汇报", "date": "2017-09-01", "reason": "x"}
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_rectification_of_a_failed_unit(year_published, client_for):
    group = client_for("group")
    page = group.get(reverse("followup")).content.decode()
    failed = [u for u in ("430923",) if f'id="unit-{u}"' in page]
    assert failed, "the sample year has 安化县 不合格"
    code = failed[0]
    response = group.post(
        reverse("followup_update", args=[code]),
        {
            f"{code}-measures": "完善巡查制度",
            f"{code}-deadline": "2018-06-30",
            f"{code}-progress": "已整改 3 处",
        },
        follow=True,
    )
    assert "已保存安化县的整改情况" in response.content.decode()
    response = group.post(
        reverse("followup_judge", args=[code]),
        {
            f"j{code}-deputy": "张副局长",
            f"j{code}-brigade_head": "李大队长",
            f"j{code}-director": "王局长",
            f"j{code}-date": "2018-07-15",
            f"j{code}-reason": "整改期满仍有 5 处未整改",
        },
        follow=True,
    )
    assert "已认定安化县整改措施不力" in response.content.decode()
    rectification = Rectification.objects.get(unit__code=code)
    assert rectification.inadequate
    assert set(Sanction.objects.values_list("kind", "position", "person")) == {
        ("诫勉谈话", "局主要负责人", "王局长"),
        ("黄牌警告", "执法监察大队负责人", "李大队长"),
        ("黄牌警告", "分管局领导", "张副局长"),
    }
    text = client_for("party").get(reverse("followup")).content.decode()
    assert "王局长" in text and "整改措施不力" in text
    response = group.post(reverse("followup_update", args=[ZY]), {f"{ZY}-measures": "x"}, follow=True)
    assert "不是不合格单位" in response.content.decode()


@pytest.mark.django_db
def test_downloads(year_published, client_for):
    group = client_for("group")
    workbook = group.get(reverse("ranking_workbook"))
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    notice = group.get(reverse("notice"))
    assert notice.status_code == 200 and notice.content[:2] == b"PK"
    differences = group.get(reverse("differences"), {"format": "xlsx"})
    assert differences.status_code == 200 and differences.content[:2] == b"PK"


@pytest.mark.django_db
def test_notice_refused_while_items_are_unscored(year_open, client_for):
    response = client_for("group").get(reverse("notice"), follow=True)
    assert "个条目未评，不能生成通报" in response.content.decode()


@pytest.mark.django_db
def test_results_pages(year_published, client_for):
    group = client_for("group")
    text = group.get(reverse("results")).content.decode()
    for word in ("优胜", "达标", "不合格", "取消评优", 'data-chart="ranking"'):
        assert word in text
    sheet = group.get(reverse("unit_result", args=[ZY])).content.decode()
    assert 'data-chart="radar"' in sheet and "单位负责人" in sheet and "复核人" in sheet
    assert "全市平均" in sheet
    filler = client_for("filler").get(reverse("unit_result", args=[ZY])).content.decode()
    assert "资阳区" in filler and "赫山区" not in filler  # its own unit, not the others


@pytest.mark.django_db
def test_year_switcher(year_published, client_for):
    from kaoping.assessments.workflow import campaign_create

    campaign_create(year=YEAR + 1)  # a draft: only the group and administrators see it
    group, filler = client_for("group"), client_for("filler")
    assert "2018 年度" in group.get("/").content.decode()
    assert "2018 年度" not in filler.get("/").content.decode()
    group.get(reverse("year_choose"), {"year": YEAR, "next": "/results/"})
    assert "2017 年度考评结果" in group.get(reverse("results")).content.decode()
    filler.get(reverse("year_choose"), {"year": YEAR + 1})
    assert "2017 年度" in filler.get("/").content.decode()  # a draft cannot be chosen


@pytest.mark.django_db
def test_unscored_refusal_links_to_every_unscored_item(year_open, client_for):
    campaign_advance(campaign=year_open, to=State.REVIEW)
    group = client_for("group")
    response = group.post(reverse("campaign_move"), {"direction": "forward", "from": "review"}, follow=True)
    text = response.content.decode()
    count = int(text.split("还有 ")[1].split(" 个条目未评")[0])
    assert count > 30 and "……" in text  # the message itself names only 30
    link = f'<a href="{reverse("review_queue")}?status=unscored">在考评任务中查看全部 {count} 个未评条目</a>'
    assert link in text
    queue = group.get(reverse("review_queue"), {"status": "unscored"})
    assert f"共 {count} 条" in queue.content.decode()
    assert queue.context["count"] == count


@pytest.mark.django_db
def test_filler_downloads_the_published_notice_not_the_ranking(year_review, client_for):
    filler = client_for("filler")
    refused = filler.get(reverse("notice"))
    assert refused.status_code == 403 and "2017 年度考评结果通报后才能下载通报" in refused.content.decode()
    text = filler.get(reverse("ranking_workbook")).content.decode()
    assert "全市排名表仅供考评小组、党组和成员单位考评员下载" in text and "通报后，可在“考评结果”" in text
    assessor = client_for("assessor").get(reverse("ranking_workbook")).content.decode()
    assert "2017 年度考评处于“考评中”阶段；考评结果通报后，成员单位考评员才能下载排名表" in assessor

    campaign_advance(campaign=year_review, to=State.PUBLISHED)
    sheet = filler.get(reverse("unit_result", args=[ZY])).content.decode()
    assert f'href="{reverse("notice")}">下载通报（Word）' in sheet
    notice = filler.get(reverse("notice"))
    assert notice.status_code == 200 and notice.content[:2] == b"PK"
    assert "2017" in notice["Content-Disposition"] or "%E9%80%9A%E6%8A%A5" in notice["Content-Disposition"]
    refused = filler.get(reverse("ranking_workbook"))
    text = refused.content.decode()
    assert refused.status_code == 403 and "通报后才能下载排名表" not in text
    assert "本单位的得分、名次和等次见“考评结果”，全市考评情况见通报（可在该页下载）" in text


@pytest.mark.django_db
def test_filler_waits_for_the_public_view_then_keeps_its_sheet(year_review, client_for):
    filler = client_for("filler")
    response = filler.get(reverse("results"))
    assert response.status_code == 200  # not sent on to a sheet it may not read yet
    assert (
        "2017 年度考评结果尚未公示，公示后可在此查看本单位各条目的得分和扣分原因" in response.content.decode()
    )
    campaign_advance(campaign=year_review, to=State.APPROVED)  # through 公示中: the unit has seen its sheet
    assert filler.get(reverse("results")).url == reverse("unit_result", args=[ZY])


@pytest.mark.django_db
def test_event_outside_the_campaign_year_is_refused(year_review, client_for):
    group = client_for("group")
    page = group.get(reverse("events")).content.decode()
    assert 'min="2017-01-01"' in page and 'max="2017-12-31"' in page
    response = group.post(
        reverse("events"), {"unit": ZY, "kind": "约谈", "date": "2016-01-01", "reason": "约谈主要负责人"}
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "日期 2016-01-01 不在 2017 年度内" in text and "2017-01-01 至 2017-12-31" in text
    assert not Event.objects.filter(note="约谈主要负责人").exists()


def _vetoes(campaign: Campaign, code: str) -> list[str]:
    return next(u.vetoes for u in results_stored(campaign).units if u.code == code)


@pytest.mark.django_db
def test_group_deletes_a_wrong_event_with_a_reason(year_review, client_for):
    group = client_for("group")
    data = {"unit": ZY, "kind": "问责", "date": "2017-09-01", "reason": "违法占地问题整改不力"}
    group.post(reverse("events"), data)
    event = Event.objects.get(note="违法占地问题整改不力")
    assert _vetoes(year_review, ZY)
    page = group.get(reverse("events")).content.decode()
    assert f'action="{reverse("event_delete", args=[event.pk])}"' in page
    response = group.post(reverse("event_delete", args=[event.pk]), {"reason": ""}, follow=True)
    assert "删除记录必须写明原因" in response.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()
    response = group.post(reverse("event_delete", args=[event.pk]), {"reason": "单位记错"}, follow=True)
    text = response.content.decode()
    assert "已删除：资阳区 2017-09-01 问责" in text and "违法占地问题整改不力" not in text
    assert not Event.objects.filter(pk=event.pk).exists()
    audit = AuditEvent.objects.get(action="event_remove")
    assert audit.reason == "单位记错" and audit.old["note"] == "违法占地问题整改不力"
    assert not _vetoes(year_review, ZY)
    again = group.post(reverse("event_delete", args=[event.pk]), {"reason": "单位记错"})
    assert again.status_code == 404


@pytest.mark.django_db
def test_events_of_a_frozen_year_stay(year_review, client_for):
    group = client_for("group")
    group.post(reverse("events"), {"unit": ZY, "kind": "约谈", "date": "2017-05-01", "reason": "约谈局长"})
    event = Event.objects.get(note="约谈局长")
    campaign_advance(campaign=year_review, to=State.APPROVED)
    page = group.get(reverse("events")).content.decode()
    assert "记录已冻结，不能新增或删除" in page and "删除原因" not in page
    response = group.post(reverse("event_delete", args=[event.pk]), {"reason": "记错"}, follow=True)
    assert "已冻结，不能再修改" in response.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()
    for role in ("filler", "party", "assessor"):
        assert (
            client_for(role).post(reverse("event_delete", args=[event.pk]), {"reason": "x"}).status_code
            == 403
        )


@pytest.mark.django_db
def test_an_event_of_a_year_without_campaign_can_be_found_and_removed(year_review, client_for):
    stray = Event.objects.create(unit=Unit.objects.get(code=ZY), kind="约谈", date="2016-01-01", note="误录")
    group = client_for("group")
    page = group.get(reverse("events")).content.decode()
    assert "不属于任何考评年度的记录" in page and "误录" in page
    response = group.post(reverse("event_delete", args=[stray.pk]), {"reason": "年份录错"}, follow=True)
    assert "已删除：资阳区 2016-01-01 约谈" in response.content.decode()
    assert not Event.objects.filter(pk=stray.pk).exists()
    assert "不属于任何考评年度的记录" not in group.get(reverse("events")).content.decode()


def _confirm_of(page: str, button: str) -> str:
    """The data-confirm text of the form holding this button, unescaped."""
    end = page.index(f">{button}</button>")
    start = page.rindex("data-confirm=", 0, end)
    return html.unescape(page[start + len('data-confirm="') : page.index('"', start + len('data-confirm="'))])


@pytest.mark.django_db
def test_closing_self_assessment_early_names_the_waiting_units(year_open, client_for, tmp_path):
    _own_self_scores(tmp_path, skip=set())
    client_for("filler").post(reverse("self_submit", args=[ZY]))
    group = client_for("group")
    page = group.get("/").content.decode()
    waiting = [u.name for u in Unit.objects.exclude(code=ZY).order_by("code")]
    expected = f"尚有 7 个单位未提交自评：{'、'.join(waiting)}。"
    deadline = year_open.self_deadline
    due = f"自评截止日期 {deadline.year}年{deadline.month}月{deadline.day}日 未到（还有 30 天）。"
    confirm = _confirm_of(page, "推进到“考评中”")
    assert confirm.startswith("确认将 2017 年度考评推进到“考评中”？\n\n")
    assert expected in confirm and due in confirm and "资阳区" not in confirm
    caution = page[page.index('class="move-caution"') :]
    assert expected in caution and due in caution
    # The group decides: the move is still made.
    response = group.post(reverse("campaign_move"), {"direction": "forward", "from": "self"}, follow=True)
    assert "已进入“考评中”阶段" in response.content.decode()


@pytest.mark.django_db
def test_no_caution_once_every_unit_submitted_and_the_deadline_passed(year_open, client_for):
    file_import(kind="self-scores", path=SAMPLE / "self-scores.csv", year=YEAR)
    for unit in Unit.objects.all():
        self_assessment_submit(campaign=year_open, unit=unit, actor=None)
    Campaign.objects.filter(pk=year_open.pk).update(self_deadline=datetime.date(2018, 1, 15))
    page = client_for("group").get("/").content.decode()
    assert _confirm_of(page, "推进到“考评中”") == "确认将 2017 年度考评推进到“考评中”？"
    assert "move-caution" not in page


@pytest.mark.django_db
def test_event_form_starts_inside_the_year(year_open, client_for):
    later = campaign_create(year=timezone.localdate().year + 1)
    group = client_for("group")
    group.get(reverse("year_choose"), {"year": later.year})
    form = group.get(reverse("events")).context["form"]
    assert form.initial["date"] == datetime.date(later.year, 1, 1)
    group.get(reverse("year_choose"), {"year": YEAR})
    assert group.get(reverse("events")).context["form"].initial["date"] == datetime.date(YEAR, 12, 31)
