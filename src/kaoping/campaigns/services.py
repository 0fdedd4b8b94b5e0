"""Finding a campaign and knowing whether it may be written to (the workflow is assessments/workflow.py)."""

from kaoping.errors import KaopingError, NotFound, Refused
from kaoping.org.policy import campaign_facts, frozen_refusal

from .models import FROZEN_STATES, Campaign, State

DEFAULT_RUBRIC = "yiyang-2017"


def campaign_for_year(year: int) -> Campaign:
    try:
        return Campaign.objects.select_related("rubric").get(year=year)
    except Campaign.DoesNotExist:
        raise NotFound(f"没有 {year} 年度的考评；请先运行 kaoping campaign create --year {year}") from None


def campaign_ensure_writable(campaign: Campaign) -> None:
    """Refuse any write to a frozen (已审定 / 已通报) campaign."""
    if campaign.is_frozen:
        raise Refused(frozen_refusal(campaign_facts(campaign)))


def frozen_years() -> set[int]:
    return set(Campaign.objects.filter(state__in=FROZEN_STATES).values_list("year", flat=True))


def parse_state(text: str) -> str:
    for state in State:
        if text in (state.value, state.label):
            return state.value
    names = "、".join(f"{s.label}（{s.value}）" for s in State)
    raise KaopingError(f"未知的状态“{text}”；可用：{names}")
