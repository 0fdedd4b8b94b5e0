"""The assessment year as a workflow: opening it, its settings, and its state machine (scoring.md).

Each service asks the policy, locks the campaign, writes its audit row and keeps the stored results
current in the same transaction.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kaoping.audit.services import audit_record
from kaoping.campaigns.models import STATE_ORDER, Campaign, State
from kaoping.campaigns.services import DEFAULT_RUBRIC, campaign_ensure_writable
from kaoping.errors import KaopingError, NotFound, Refused
from kaoping.inbox.models import Kind
from kaoping.inbox.services import inbox_notify
from kaoping.org.policy import Action, campaign_facts, policy_check
from kaoping.rubrics.models import Rubric

from .fingerprint import results_fingerprint
from .objections import objections_filed, objections_open
from .results import results_update, standings_update, unscored_items


def campaign_create(
    *,
    year: int,
    actor: AbstractBaseUser | None = None,
    rubric_code: str = DEFAULT_RUBRIC,
    pass_min: Decimal = Decimal(60),
    excellent_min: Decimal = Decimal(90),
    excellent_quota: int = 3,
    self_deadline: datetime.date | None = None,
    objection_days: int = 5,
) -> Campaign:
    """Open year Y over every unit; its results (all 未评 but the computed items) are stored at once."""
    policy_check(actor, Action.CAMPAIGN_CREATE)
    if not 2000 <= year <= 2100:
        raise KaopingError(f"年度 {year} 不合理，应为 2000–2100 之间的年份")
    if excellent_quota < 0:
        raise KaopingError(f"优胜名额应为不小于 0 的整数，而不是 {excellent_quota}")
    if not 0 <= objection_days <= 30:
        raise KaopingError(f"申诉期应为 0–30 个工作日，而不是 {objection_days}")
    if not 0 <= pass_min <= excellent_min:
        raise KaopingError(f"分数线不合理：达标线 {pass_min} 应不高于优胜线 {excellent_min}，且不小于 0")
    try:
        rubric = Rubric.objects.get(code=rubric_code)
    except Rubric.DoesNotExist:
        known = "、".join(Rubric.objects.values_list("code", flat=True)) or "无（请先运行 kaoping init）"
        raise NotFound(f"没有编号为 {rubric_code} 的考评细则；已有：{known}") from None
    if excellent_min > rubric.definition.total:
        raise KaopingError(f"优胜线 {excellent_min} 高于细则总分 {rubric.definition.total}")
    with transaction.atomic():
        if Campaign.objects.filter(year=year).exists():
            raise Refused(f"{year} 年度的考评已经存在")
        campaign = Campaign.objects.create(
            year=year,
            rubric=rubric,
            pass_min=pass_min,
            excellent_min=excellent_min,
            excellent_quota=excellent_quota,
            self_deadline=self_deadline or datetime.date(year, 12, 15),
            objection_days=objection_days,
        )
        audit_record(
            actor=actor,
            action="campaign_create",
            campaign_year=year,
            new={
                "rubric": rubric.code,
                "pass_min": str(pass_min),
                "excellent_min": str(excellent_min),
                "excellent_quota": excellent_quota,
            },
        )
        results_update(campaign=campaign)
    return campaign


class UnscoredItems(Refused):
    """Moving on refused while items are 未评; the message names the first 30 of `count`."""

    def __init__(self, message: str, count: int):
        super().__init__(message)
        self.count = count


def campaign_advance(
    *, campaign: Campaign, actor: AbstractBaseUser | None = None, to: str | None = None
) -> Campaign:
    """Move the campaign to its next state, or step by step to `to`; back by one step before approval."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("rubric").get(pk=campaign.pk)
        here = STATE_ORDER.index(campaign.state)
        target = STATE_ORDER.index(to) if to else here + 1
        if target >= len(STATE_ORDER):
            raise Refused(f"{campaign.year} 年度考评已通报，没有下一个状态")
        if target == here:
            raise Refused(f"{campaign.year} 年度考评已经是“{campaign.get_state_display()}”")
        if target < here:
            if target != here - 1 and not campaign.is_frozen:
                raise Refused("只能退回到上一个状态")
            policy_check(actor, Action.CAMPAIGN_BACK, campaign=campaign_facts(campaign))
            filed = objections_filed(campaign) if campaign.state == State.PUBLIC else 0
            if filed:
                raise Refused(
                    f"已有 {filed} 件申诉，不能退回“考评中”（改动得分会使申诉及其答复失效）；"
                    "对得分的更正请通过答复申诉（改分）完成"
                )
        for step in range(here + 1, target + 1):
            state = State(STATE_ORDER[step])
            policy_check(actor, Action.CAMPAIGN_FORWARD, campaign=campaign_facts(campaign), target=state)
            if state in (State.PUBLIC, State.PENDING_APPROVAL, State.APPROVED):
                # Checked again on approval: an import while 待审定 may have left an item 未评.
                missing = [f"{name} {item_id}" for name, item_id in unscored_items(campaign)]
                if missing:
                    shown = "、".join(missing[:30]) + ("……" if len(missing) > 30 else "")
                    verb = {State.PUBLIC: "公示", State.PENDING_APPROVAL: "提交审定"}.get(state, "审定")
                    raise UnscoredItems(f"还有 {len(missing)} 个条目未评，不能{verb}：{shown}", len(missing))
            if state == State.PUBLIC:
                campaign.public_from = timezone.localdate()
            if state == State.PENDING_APPROVAL:
                waiting = objections_open(campaign)
                if waiting:
                    named = "、".join(f"{o.unit.name} {o.item_id}" for o in waiting[:30])
                    more = "……" if len(waiting) > 30 else ""
                    raise Refused(f"还有 {len(waiting)} 件申诉未答复，不能提交审定：{named}{more}")
            if state == State.APPROVED:
                campaign.approved_at, campaign.approved_by = timezone.now(), actor
            if state == State.PUBLISHED:
                campaign.published_at = timezone.now()
        old = campaign.get_state_display()
        campaign.state = STATE_ORDER[target]
        campaign.save()
        event = audit_record(
            actor=actor,
            action="campaign_state",
            campaign_year=campaign.year,
            old=old,
            new=campaign.get_state_display(),
        )
        if here < STATE_ORDER.index(State.APPROVED) <= target:  # the approval's own row heads the chain
            campaign.audit_head, campaign.results_fingerprint = event.hash, results_fingerprint(campaign)
            campaign.save(update_fields=["audit_head", "results_fingerprint"])
        for step in range(here + 1, target + 1):
            _tell_of_state(campaign, State(STATE_ORDER[step]))
    return campaign


def _tell_of_state(campaign: Campaign, state: State) -> None:
    """The moves a person waits for, in their inbox (who: inbox/recipients.py)."""
    year = campaign.year
    if state == State.SELF_ASSESSMENT:
        deadline = campaign.self_deadline
        inbox_notify(
            Kind.YEAR_OPENED,
            campaign=campaign,
            title=f"{year} 年度考评已开启自评",
            body=f"请各单位在 {deadline.year}年{deadline.month}月{deadline.day}日 前完成自评并提交，"
            "按时报送月报和台帐。",
            url=reverse("dashboard"),
        )
    elif state == State.PUBLIC:
        until = campaign.objection_until
        assert until is not None
        inbox_notify(
            Kind.PUBLIC_OPENED,
            campaign=campaign,
            title=f"{year} 年度考评结果公示中",
            body=f"请查看本单位各条目的得分和扣分原因；如有异议，请在 {until.year}年{until.month}月{until.day}日 "
            "前在“考评结果”中对条目提出申诉。",
            url=reverse("results"),
        )
    elif state == State.APPROVED:
        inbox_notify(
            Kind.YEAR_APPROVED,
            campaign=campaign,
            title=f"{year} 年度考评结果已经党组审定",
            body="所有分数已冻结；通报后各单位可查看本单位的得分、名次和等次。",
            url=reverse("results"),
        )
    elif state == State.PUBLISHED:
        inbox_notify(
            Kind.YEAR_PUBLISHED,
            campaign=campaign,
            title=f"{year} 年度考评结果已通报",
            body="可在“考评结果”中查看得分、名次和等次，下载通报。",
            url=reverse("results"),
        )


SETTING_LABELS = {
    "pass_min": "达标分数线",
    "excellent_min": "优胜分数线",
    "excellent_quota": "优胜名额",
    "self_deadline": "自评截止日期",
    "objection_days": "申诉期（工作日）",
    "notice_number": "通报文号",
    "basis_number": "依据文号",
    "notice_date": "成文日期",
}


def campaign_settings_update(
    *, campaign: Campaign, actor: AbstractBaseUser | None, **changes: object
) -> Campaign:
    """Change a campaign's settings (refused once frozen); grades are re-derived at once. Audited."""
    policy_check(actor, Action.CAMPAIGN_SETTINGS)
    unknown = set(changes) - set(SETTING_LABELS)
    if unknown:
        raise KaopingError(f"不能修改的设置：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().select_related("rubric").get(pk=campaign.pk)
        campaign_ensure_writable(locked)
        old = {name: str(getattr(locked, name)) for name in changes}
        for name, value in changes.items():
            setattr(locked, name, value)
        if not 0 <= locked.objection_days <= 30:
            raise KaopingError(f"申诉期应为 0–30 个工作日，而不是 {locked.objection_days}")
        if locked.excellent_quota < 0:
            raise KaopingError(f"优胜名额应为不小于 0 的整数，而不是 {locked.excellent_quota}")
        if not 0 <= locked.pass_min <= locked.excellent_min:
            raise KaopingError(
                f"分数线不合理：达标线 {locked.pass_min} 应不高于优胜线 {locked.excellent_min}"
            )
        locked.save()
        audit_record(
            actor=actor,
            action="campaign_settings",
            campaign_year=locked.year,
            old=old,
            new={name: str(getattr(locked, name)) for name in changes},
        )
        standings_update(campaign=locked)
    return locked
