"""The assessment year: creation, settings, and its state machine (scoring.md, formats.md)."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kaoping.audit.services import audit_record
from kaoping.errors import KaopingError, NotFound, Refused
from kaoping.org.access import require_role
from kaoping.org.models import Role
from kaoping.rubrics.models import Rubric

from .models import FROZEN_STATES, STATE_ORDER, Campaign, State

DEFAULT_RUBRIC = "yiyang-2017"


def campaign_for_year(year: int) -> Campaign:
    try:
        return Campaign.objects.select_related("rubric").get(year=year)
    except Campaign.DoesNotExist:
        raise NotFound(f"没有 {year} 年度的考评；请先运行 kaoping campaign create --year {year}") from None


def campaign_create(
    *,
    year: int,
    actor: AbstractBaseUser | None = None,
    rubric_code: str = DEFAULT_RUBRIC,
    pass_min: Decimal = Decimal(60),
    excellent_min: Decimal = Decimal(90),
    excellent_quota: int = 3,
    self_deadline: datetime.date | None = None,
) -> Campaign:
    require_role(actor, Role.GROUP, action="创建考评年度")
    if not 2000 <= year <= 2100:
        raise KaopingError(f"年度 {year} 不合理，应为 2000–2100 之间的年份")
    if excellent_quota < 0:
        raise KaopingError(f"优胜名额应为不小于 0 的整数，而不是 {excellent_quota}")
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
    return campaign


def campaign_ensure_writable(campaign: Campaign) -> None:
    """Refuse any write to a frozen (已审定 / 已通报) campaign."""
    if campaign.state in FROZEN_STATES:
        raise Refused(
            f"{campaign.year} 年度考评{campaign.get_state_display()}，所有分数和台帐已冻结，不能再修改"
        )


def frozen_years() -> set[int]:
    return set(Campaign.objects.filter(state__in=FROZEN_STATES).values_list("year", flat=True))


def campaigns_touch(years: set[int] | None = None) -> None:
    """Note that data behind these years' results (all open years when None) changed."""
    query = Campaign.objects.exclude(state__in=FROZEN_STATES)
    if years is not None:
        query = query.filter(year__in=years)
    query.update(data_version=F("data_version") + 1)


# Which role may move a campaign into each state (the command line acts as the administrator).
_MOVER = {
    State.SELF_ASSESSMENT: (Role.GROUP,),
    State.REVIEW: (Role.GROUP,),
    State.PENDING_APPROVAL: (Role.GROUP,),
    State.APPROVED: (Role.PARTY,),
    State.PUBLISHED: (Role.PARTY, Role.GROUP),
}


class UnscoredItems(Refused):
    """Moving on refused while items are 未评; the message names the first 30 of `count`."""

    def __init__(self, message: str, count: int):
        super().__init__(message)
        self.count = count


def parse_state(text: str) -> str:
    for state in State:
        if text in (state.value, state.label):
            return state.value
    names = "、".join(f"{s.label}（{s.value}）" for s in State)
    raise KaopingError(f"未知的状态“{text}”；可用：{names}")


def campaign_advance(
    *, campaign: Campaign, actor: AbstractBaseUser | None = None, to: str | None = None
) -> Campaign:
    """Move the campaign to its next state, or step by step to `to`; back by one step before approval."""
    from kaoping.assessments.results import results_current  # results depend on campaigns, not the reverse

    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("rubric").get(pk=campaign.pk)
        here = STATE_ORDER.index(campaign.state)
        target = STATE_ORDER.index(to) if to else here + 1
        if target >= len(STATE_ORDER):
            raise Refused(f"{campaign.year} 年度考评已通报，没有下一个状态")
        if target == here:
            raise Refused(f"{campaign.year} 年度考评已经是“{campaign.get_state_display()}”")
        if target < here:
            if campaign.state in FROZEN_STATES:
                raise Refused(f"{campaign.year} 年度考评{campaign.get_state_display()}，不能退回")
            if target != here - 1:
                raise Refused("只能退回到上一个状态")
            require_role(actor, Role.GROUP, action="退回考评状态")
        for step in range(here + 1, target + 1):
            state = State(STATE_ORDER[step])
            require_role(actor, *_MOVER[state], action=f"将考评推进到“{state.label}”")
            if state in (State.PENDING_APPROVAL, State.APPROVED):
                # Checked again on approval: an import while 待审定 may have left an item 未评.
                outcome = results_current(campaign)
                missing = [
                    f"{u.name} {item_id}"
                    for u in outcome.units
                    for item_id, i in u.items.items()
                    if i.score is None
                ]
                if missing:
                    shown = "、".join(missing[:30]) + ("……" if len(missing) > 30 else "")
                    verb = "提交审定" if state == State.PENDING_APPROVAL else "审定"
                    raise UnscoredItems(f"还有 {len(missing)} 个条目未评，不能{verb}：{shown}", len(missing))
            if state == State.APPROVED:
                results_current(campaign)  # the stored results become the frozen record
                campaign.approved_at, campaign.approved_by = timezone.now(), actor
            if state == State.PUBLISHED:
                campaign.published_at = timezone.now()
        old = campaign.get_state_display()
        campaign.state = STATE_ORDER[target]
        campaign.save()
        audit_record(
            actor=actor,
            action="campaign_state",
            campaign_year=campaign.year,
            old=old,
            new=campaign.get_state_display(),
        )
    return campaign


SETTING_LABELS = {
    "pass_min": "达标分数线",
    "excellent_min": "优胜分数线",
    "excellent_quota": "优胜名额",
    "self_deadline": "自评截止日期",
    "notice_number": "通报文号",
}


def campaign_settings_update(
    *, campaign: Campaign, actor: AbstractBaseUser | None, **changes: object
) -> Campaign:
    """Change a campaign's settings (refused once frozen); grades follow on the next read. Audited."""
    require_role(actor, Role.GROUP, action="修改考评设置")
    unknown = set(changes) - set(SETTING_LABELS)
    if unknown:
        raise KaopingError(f"不能修改的设置：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        campaign_ensure_writable(locked)
        old = {name: str(getattr(locked, name)) for name in changes}
        for name, value in changes.items():
            setattr(locked, name, value)
        if locked.excellent_quota < 0:
            raise KaopingError(f"优胜名额应为不小于 0 的整数，而不是 {locked.excellent_quota}")
        if not 0 <= locked.pass_min <= locked.excellent_min:
            raise KaopingError(
                f"分数线不合理：达标线 {locked.pass_min} 应不高于优胜线 {locked.excellent_min}"
            )
        locked.data_version += 1
        locked.save()
        audit_record(
            actor=actor,
            action="campaign_settings",
            campaign_year=locked.year,
            old=old,
            new={name: str(getattr(locked, name)) for name in changes},
        )
    return locked
