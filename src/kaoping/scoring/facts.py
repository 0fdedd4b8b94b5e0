"""What the ledgers say about one unit in one campaign year, already counted.

The ledgers layer fills these from one aggregate query per ledger kind; the rules only read them.
"""

from dataclasses import dataclass, field
from decimal import Decimal

# The closed vocabularies a rubric may name (formats.md: events 类型, submissions 报表类型).
EVENT_KINDS = ("党组听取汇报", "业务培训", "约谈", "问责", "数据不实")
MONTHLY_REPORTS = ("巡查月报", "案件月报")
HALF_YEAR_REPORTS = ("形势分析",)


@dataclass
class UnitFacts:
    year: int
    # 工作事项: event type → number of events in the year, and → quarters (1–4) with at least one.
    event_counts: dict[str, int] = field(default_factory=dict)
    event_quarters: dict[str, set[int]] = field(default_factory=dict)
    # 报送记录: report type → months of the year whose report was on time; → periods present.
    reports_on_time: dict[str, int] = field(default_factory=dict)
    reports_present: dict[str, int] = field(default_factory=dict)
    # → the months of the year present, as a bit mask (bit m-1 for month m) of the monthly kinds.
    reports_months: dict[str, int] = field(default_factory=dict)
    # 违法案件台帐
    cases_filed: int = 0
    cases_filed_by_patrol: int = 0
    major_public_filings: int = 0
    land_exposures: int = 0
    mineral_exposures: int = 0
    general_decisions_effective: int = 0
    general_decisions_published_in_time: int = 0
    decisions_overturned: int = 0
    # 举报线索
    tips_registered: int = 0
    tips_handled: int = 0
    # 案卷评查
    casefiles_reviewed: int = 0
    casefile_score_sum: Decimal = Decimal(0)
    # 卫片图斑 (illegal ones only)
    illegal_patches: int = 0
    patches_with_both_dossiers: int = 0
    patches_duty_performed: int = 0
    patches_investigated: int = 0
    patches_rectified: int = 0

    @property
    def monthly_missing_from(self) -> int:
        """The first month (1–12) whose 巡查月报 or 案件月报 is missing; 13 when none is."""
        for month in range(1, 13):
            if any(not self.reports_months.get(kind, 0) & (1 << (month - 1)) for kind in MONTHLY_REPORTS):
                return month
        return 13
