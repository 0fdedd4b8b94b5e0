"""Every importable kind, and the one service that imports a file: validate everything, then write."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from kaoping.assessments.imports import SCORE_KINDS
from kaoping.assessments.results import results_update_open_years
from kaoping.audit.services import audit_record
from kaoping.campaigns.models import Campaign
from kaoping.campaigns.services import frozen_years
from kaoping.errors import KaopingError, NotFound, Refused
from kaoping.ledgers.imports import ImportContext, ImportKind, validate_table
from kaoping.ledgers.kinds import LEDGER_KINDS
from kaoping.ledgers.tables import read_table
from kaoping.org.models import Unit
from kaoping.org.policy import Action, actor_of, campaign_facts, policy_check, rows_limited_to_own_unit

KINDS: dict[str, ImportKind] = {**LEDGER_KINDS, **SCORE_KINDS}
# Above this many rows, a ledger import recomputes every unit in one pass instead of looking up the
# previous owners of its records (a national file touches most units anyway).
PREVIOUS_OWNERS_LIMIT = 20_000


def import_kind(name: str) -> ImportKind:
    try:
        return KINDS[name]
    except KeyError:
        known = "、".join(f"{k}（{v.label}）" for k, v in KINDS.items())
        raise KaopingError(f"未知的导入类型“{name}”；可用：{known}") from None


def upload_limit_mb() -> int:
    """The largest import file, in MB, for the page, the API and the upload form's own words."""
    return settings.LEDGER_MAX_BYTES // (1024 * 1024)


def upload_too_large(*, name: str, size: int) -> str | None:
    """The refusal of a file past the one upload limit (settings.LEDGER_MAX_BYTES), before it is read."""
    if size > settings.LEDGER_MAX_BYTES:
        return f"文件 {name} 超过 {upload_limit_mb()} MB，请拆分后分批导入"
    return None


@dataclass(frozen=True)
class ImportReport:
    kind: ImportKind
    created: int
    updated: int  # rows whose key was already stored, replaced by the file's

    @property
    def rows(self) -> int:
        return self.created + self.updated

    def __str__(self) -> str:
        return f"已导入 {self.rows} 条{self.kind.label}：新增 {self.created} 条，更新 {self.updated} 条"


def import_campaign(year: int) -> Campaign:
    """The campaign an import's year names; a year nobody opened is refused, naming the years there are."""
    campaign = Campaign.objects.select_related("rubric").filter(year=year).first()
    if campaign is None:
        years = "、".join(str(y) for y in Campaign.objects.order_by("year").values_list("year", flat=True))
        existing = f"已有年度：{years}" if years else "尚未开启任何年度"
        raise NotFound(
            f"没有 {year} 年度的考评；{existing}。请核对 --year，或先运行 kaoping campaign create --year {year}"
        )
    return campaign


def file_import(
    *,
    kind: str,
    path: Path | str,
    year: int | None,
    actor: AbstractBaseUser | None = None,
    content: bytes | None = None,
) -> ImportReport:
    """Import one file; all or nothing. A 填报员's file may carry its own unit's rows only (the policy)."""
    spec = import_kind(kind)
    policy_check(actor, Action.IMPORT, kind=spec.name)
    if spec.needs_year and year is None:
        raise KaopingError(f"导入{spec.label}需要指定年度（--year）")
    # Dated records may come without a year (their dates decide it); a year given must name a campaign.
    named = import_campaign(year) if year is not None and spec.takes_year else None
    # Score kinds and patches belong to that year; dated records are checked row by row.
    campaign = named if spec.needs_campaign or spec.needs_year else None
    if campaign is not None:
        policy_check(actor, Action.IMPORT, kind=spec.name, campaign=campaign_facts(campaign))
    table = read_table(path, content, expected=[c.header for c in spec.columns])
    unit_ids = dict(Unit.objects.values_list("code", "id"))
    own = actor_of(actor)
    own_code = ""
    if rows_limited_to_own_unit(own):
        unit_ids = {code: pk for code, pk in unit_ids.items() if pk == own.unit_id}
        own_code = next(iter(unit_ids), "")
    context = ImportContext(
        year=year,
        unit_ids=unit_ids,
        frozen_years=frozen_years(),
        actor=actor,
        campaign=campaign if spec.needs_campaign else None,
        rubric=campaign.rubric.definition if campaign and spec.needs_campaign else None,
        scope_label=f"{own.unit_name} {own_code}" if own_code else None,
    )
    rows = validate_table(spec, table, context, Path(path).name)
    with transaction.atomic():
        # Lock every year, then check again what validation assumed: an approval that committed during a
        # long validation must not be bypassed.
        locked = list(Campaign.objects.select_for_update().order_by("year"))
        now_frozen = {c.year for c in locked if c.is_frozen}
        if now_frozen != context.frozen_years:
            years = "、".join(str(y) for y in sorted(now_frozen - context.frozen_years))
            raise Refused(
                f"导入期间 {years} 年度考评已审定，本次未导入任何数据；请重新导入以按冻结后的规则校验"
            )
        if campaign is not None:
            current = next(c for c in locked if c.pk == campaign.pk)
            policy_check(actor, Action.IMPORT, kind=spec.name, campaign=campaign_facts(current))
        touched = _units_touched(spec, rows, context)
        written = spec.write(rows, context)
        if spec.name == "units" and touched is not None:  # new units are scored from the moment they exist
            touched = set(
                Unit.objects.filter(code__in=[r["unit_code"] for r in rows]).values_list("id", flat=True)
            )
        audit_record(
            actor=actor,
            action=f"import_{spec.name}",
            campaign_year=year,
            unit_code=own_code,
            new={
                "file": Path(path).name,
                "rows": written.rows,
                "created": written.created,
                "updated": written.updated,
            },
        )
        if spec.name not in SCORE_KINDS:  # scores_set keeps its own units' results current
            years = {year} if spec.name == "patches" else None
            results_update_open_years(unit_ids=touched, years=years)
    return ImportReport(spec, created=written.created, updated=written.updated)


def _units_touched(spec: ImportKind, rows: list[dict], context: ImportContext) -> set[int] | None:
    """The units whose results the rows may change: the file's units, and the previous owners of records
    it moves to another unit (None: every unit, for a file too large to look them up)."""
    if spec.name == "units":
        return None if len(rows) > PREVIOUS_OWNERS_LIMIT else set()  # filled in after the write
    units = {context.unit_ids[r["unit_code"]] for r in rows if r.get("unit_code") in context.unit_ids}
    if spec.stored is None or not spec.key or "unit_code" in spec.key:
        return units
    if len(rows) > PREVIOUS_OWNERS_LIMIT:
        return None
    previous = spec.stored([tuple(r[f] for f in spec.key) for r in rows], context)
    all_ids = (
        context.unit_ids if context.scope_label is None else dict(Unit.objects.values_list("code", "id"))
    )
    return units | {
        all_ids[record["unit_code"]] for record in previous.values() if record["unit_code"] in all_ids
    }
