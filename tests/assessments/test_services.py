"""Score writes: role, state and lock checks, and an audit row for every change."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kaoping.assessments.models import ReviewScore, SelfScore
from kaoping.assessments.services import (
    REVIEW,
    SELF,
    ScoreEntry,
    item_return,
    scores_set,
    self_assessment_submit,
)
from kaoping.assessments.workflow import campaign_advance
from kaoping.audit.models import AuditEvent
from kaoping.campaigns.models import Campaign
from kaoping.errors import Conflict, KaopingError, Refused
from kaoping.org.models import Unit
from kaoping.org.services import user_create


@pytest.fixture
def people(campaign):
    # The 2017 year is assessed "now": its self-assessment deadline lies ahead.
    Campaign.objects.filter(pk=campaign.pk).update(
        self_deadline=timezone.localdate() + datetime.timedelta(days=30)
    )

    def make(username, role, **scope):
        return user_create(username=username, password="x", role=role, check_password=False, **scope)

    return {
        "zy": make("zy", "filler", unit_code="430902"),
        "hs": make("hs", "filler", unit_code="430903"),
        "zd": make("zd", "assessor", department_code="zfjc"),
        "fg": make("fg", "assessor", department_code="zcfg"),
        "group": make("group", "group"),
        "party": make("party", "party"),
    }


def entry(campaign, unit="430902", item="2.1", score="2.5", note=""):
    rubric = campaign.rubric.definition
    return ScoreEntry(Unit.objects.get(code=unit), rubric.item(item), Decimal(score) if score else None, note)


def test_a_filler_scores_its_own_unit_and_every_change_is_audited(campaign, people):
    campaign_advance(campaign=campaign, actor=people["group"])
    scores_set(kind=SELF, campaign=campaign, entries=[entry(campaign)], actor=people["zy"])
    scores_set(
        kind=SELF,
        campaign=campaign,
        entries=[entry(campaign, score="3", note="补充材料")],
        actor=people["zy"],
    )
    changes = list(
        AuditEvent.objects.filter(action="self_score").order_by("id").values("actor_label", "old", "new")
    )
    assert changes == [
        {"actor_label": "zy", "old": None, "new": {"score": "2.50", "note": ""}},
        {
            "actor_label": "zy",
            "old": {"score": "2.50", "note": ""},
            "new": {"score": "3.00", "note": "补充材料"},
        },
    ]
    assert SelfScore.objects.get().version == 2
    with pytest.raises(Refused, match="只有赫山区的填报员可以填写该单位的自评分"):
        scores_set(kind=SELF, campaign=campaign, entries=[entry(campaign, unit="430903")], actor=people["zy"])


def test_the_second_of_two_concurrent_saves_gets_a_conflict_naming_the_newer_value(campaign, people):
    campaign_advance(campaign=campaign, actor=people["group"], to="review")
    first = entry(campaign, note="台帐不全")
    scores_set(
        kind=REVIEW,
        campaign=campaign,
        entries=[first],
        actor=people["zd"],
        expected_versions={("430902", "2.1"): 0},
    )
    second = entry(campaign, score="2", note="另一判断")
    with pytest.raises(Conflict, match="已被zd改为 2.50（台帐不全），您的修改未保存"):
        scores_set(
            kind=REVIEW,
            campaign=campaign,
            entries=[second],
            actor=people["group"],
            expected_versions={("430902", "2.1"): 0},
        )
    assert ReviewScore.objects.get().score == Decimal("2.50")
    assert AuditEvent.objects.filter(action="review_score").count() == 1


def test_assessors_score_only_their_departments_items_and_need_reasons(campaign, people):
    campaign_advance(campaign=campaign, actor=people["group"], to="review")
    with pytest.raises(Refused, match="条目 3.6 不归执法监察支队考评"):
        scores_set(
            kind=REVIEW,
            campaign=campaign,
            entries=[entry(campaign, item="3.6", score="2", note="x")],
            actor=people["zd"],
        )
    with pytest.raises(KaopingError, match="必须写明扣分原因"):
        scores_set(
            kind=REVIEW,
            campaign=campaign,
            entries=[entry(campaign, item="3.6", score="1")],
            actor=people["fg"],
        )
    with pytest.raises(Refused, match="只有成员单位考评员或考评小组可以录入考评分"):
        scores_set(kind=REVIEW, campaign=campaign, entries=[entry(campaign, note="x")], actor=people["zy"])


def test_self_assessment_rules(campaign, people):
    with pytest.raises(Refused, match="“草稿”阶段，自评已关闭"):
        scores_set(kind=SELF, campaign=campaign, entries=[entry(campaign)], actor=people["zy"])
    campaign_advance(campaign=campaign, actor=people["group"])
    zy = Unit.objects.get(code="430902")
    with pytest.raises(Refused, match="还有 35 个条目没有自评分"):
        self_assessment_submit(campaign=campaign, unit=zy, actor=people["zy"])
    rubric = campaign.rubric.definition
    every = [ScoreEntry(zy, item, item.points, "") for item in rubric.items]
    scores_set(kind=SELF, campaign=campaign, entries=every, actor=people["zy"])
    self_assessment_submit(campaign=campaign, unit=zy, actor=people["zy"])
    with pytest.raises(Refused, match="本单位自评已提交"):
        scores_set(kind=SELF, campaign=campaign, entries=[entry(campaign)], actor=people["zy"])
    # An item returned by an assessor may be changed again, even in 考评中.
    campaign_advance(campaign=campaign, actor=people["group"])
    item_return(
        campaign=campaign, unit=zy, item=rubric.item("2.1"), comment="请补充巡查记录", actor=people["zd"]
    )
    scores_set(kind=SELF, campaign=campaign, entries=[entry(campaign, score="2")], actor=people["zy"])
    assert SelfScore.objects.get(unit=zy, item_id="2.1").score == Decimal("2.00")


def test_the_deadline_closes_self_assessment(campaign, people):
    campaign_advance(campaign=campaign, actor=people["group"])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(self_deadline=yesterday)
    with pytest.raises(Refused, match=f"自评截止日期 {yesterday:%Y年%m月%d日} 已过"):
        scores_set(kind=SELF, campaign=campaign, entries=[entry(campaign)], actor=people["zy"])


def test_only_the_party_group_approves_and_approval_freezes(campaign, people):
    rubric = campaign.rubric.definition
    campaign_advance(campaign=campaign, actor=people["group"], to="review")
    units = list(Unit.objects.all())
    reviews = [
        ScoreEntry(u, item, item.points, "人工复核")
        for u in units
        for item in rubric.items
        if item.id
        in {
            "1.2",
            "1.3",
            "1.5",
            "1.6",
            "1.7",
            "1.8",
            "2.1",
            "2.2",
            "2.5",
            "2.6",
            "3.1",
            "3.3",
            "4.1",
            "4.2",
            "4.3",
            "5.1",
            "5.2",
            "5.3",
            "5.5",
            "6.1",
            "6.2",
            "6.3",
            "6.4",
        }
    ]
    scores_set(kind=REVIEW, campaign=campaign, entries=reviews, actor=people["group"])
    campaign_advance(campaign=campaign, actor=people["group"])  # 公示中
    campaign_advance(campaign=campaign, actor=people["group"])  # 待审定
    with pytest.raises(Refused, match="只有党组可以将考评推进到“已审定”"):
        campaign_advance(campaign=campaign, actor=people["group"])
    campaign_advance(campaign=campaign, actor=people["party"])
    with pytest.raises(Refused, match="已审定，所有分数和台帐已冻结"):
        scores_set(kind=REVIEW, campaign=campaign, entries=[entry(campaign, note="x")], actor=people["group"])
    with pytest.raises(Refused, match="不能退回"):
        campaign_advance(campaign=campaign, actor=people["group"], to="pending")


def test_a_filler_cannot_submit_after_the_deadline(campaign, people):
    campaign_advance(campaign=campaign, actor=people["group"])
    zy = Unit.objects.get(code="430902")
    rubric = campaign.rubric.definition
    scores_set(
        kind=SELF,
        campaign=campaign,
        entries=[ScoreEntry(zy, i, i.points, "") for i in rubric.items],
        actor=people["zy"],
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        self_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(Refused, match="已过，不能再修改"):
        self_assessment_submit(campaign=campaign, unit=zy, actor=people["zy"])
