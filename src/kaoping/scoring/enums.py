"""The closed value sets of an assessment year, end to end (stored values; labels for people)."""

from enum import StrEnum


class CampaignState(StrEnum):
    """草稿 → 自评中 → 考评中 → 公示中 (objections) → 待审定 → 已审定 (frozen) → 已通报."""

    DRAFT = "draft"
    SELF_ASSESSMENT = "self"
    REVIEW = "review"
    PUBLIC = "public"  # every item scored; each unit sees its own and may object (申诉) within a window
    PENDING_APPROVAL = "pending"
    APPROVED = "approved"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def is_frozen(self) -> bool:
        return self in (CampaignState.APPROVED, CampaignState.PUBLISHED)


_STATE_LABELS = {
    CampaignState.DRAFT: "草稿",
    CampaignState.SELF_ASSESSMENT: "自评中",
    CampaignState.REVIEW: "考评中",
    CampaignState.PUBLIC: "公示中",
    CampaignState.PENDING_APPROVAL: "待审定",
    CampaignState.APPROVED: "已审定",
    CampaignState.PUBLISHED: "已通报",
}
STATE_ORDER: list[str] = [s.value for s in CampaignState]


class Grade(StrEnum):
    """等次; the stored value is the word itself, as printed in the notice."""

    EXCELLENT = "优胜"
    PASSED = "达标"
    FAILED = "不合格"

    @property
    def label(self) -> str:
        return self.value


class Source(StrEnum):
    """Where a final item score comes from (formats.md `source`)."""

    RULE = "rule"  # the computed score stands
    REVIEW = "review"  # an assessor's score where there is no computed score
    OVERRIDE = "override"  # an assessor's score replacing a computed one

    @property
    def label(self) -> str:
        return _SOURCE_LABELS[self]


_SOURCE_LABELS = {Source.RULE: "自动计分", Source.REVIEW: "考评", Source.OVERRIDE: "考评（调整自动计分）"}
