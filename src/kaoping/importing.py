"""Every importable kind, and the one service that imports a file: validate everything, then write."""

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from kaoping.assessments.imports import SCORE_KINDS
from kaoping.audit.services import audit_record
from kaoping.campaigns.models import Campaign
from kaoping.campaigns.services import (
    campaign_ensure_writable,
    campaign_for_year,
    campaigns_touch,
    frozen_years,
)
from kaoping.errors import KaopingError
from kaoping.ledgers.imports import ImportContext, ImportKind, validate_table
from kaoping.ledgers.kinds import LEDGER_KINDS
from kaoping.ledgers.tables import read_table
from kaoping.org.access import require_role
from kaoping.org.models import Role, Unit

KINDS: dict[str, ImportKind] = {**LEDGER_KINDS, **SCORE_KINDS}


def import_kind(name: str) -> ImportKind:
    try:
        return KINDS[name]
    except KeyError:
        known = "、".join(f"{k}（{v.label}）" for k, v in KINDS.items())
        raise KaopingError(f"未知的导入类型“{name}”；可用：{known}") from None


@dataclass(frozen=True)
class ImportReport:
    kind: ImportKind
    rows: int

    def __str__(self) -> str:
        return f"已导入 {self.rows} 条{self.kind.label}"


def file_import(
    *,
    kind: str,
    path: Path | str,
    year: int | None,
    actor: AbstractBaseUser | None = None,
    content: bytes | None = None,
    unit_scope: Unit | None = None,
) -> ImportReport:
    """Import one file; all or nothing. `unit_scope` limits a unit's own uploads to its own rows."""
    spec = import_kind(kind)
    if spec.name in SCORE_KINDS and spec.name.startswith("review"):
        require_role(actor, Role.GROUP, action="导入考评表")
    elif spec.name == "units":
        require_role(actor, action="导入被考评单位")
    else:
        require_role(actor, Role.FILLER, Role.GROUP, action=f"导入{spec.label}")
    if spec.needs_year and year is None:
        raise KaopingError(f"导入{spec.label}需要指定年度（--year）")
    campaign: Campaign | None = None
    if spec.needs_campaign:
        campaign = campaign_for_year(year)
        campaign_ensure_writable(campaign)
    elif spec.needs_year:
        # Patches belong to the year they are imported for; dated records are checked row by row.
        existing = Campaign.objects.filter(year=year).first()
        if existing is not None:
            campaign_ensure_writable(existing)
    table = read_table(path, content)
    unit_ids = dict(Unit.objects.values_list("code", "id"))
    if unit_scope is not None:
        unit_ids = {unit_scope.code: unit_scope.pk}
    context = ImportContext(
        year=year,
        unit_ids=unit_ids,
        frozen_years=frozen_years(),
        actor=actor,
        campaign=campaign,
        rubric=campaign.rubric.definition if campaign else None,
        scope_label=f"{unit_scope.name} {unit_scope.code}" if unit_scope else None,
    )
    rows = validate_table(spec, table, context, Path(path).name)
    with transaction.atomic():
        written = spec.write(rows, context)
        audit_record(
            actor=actor,
            action=f"import_{spec.name}",
            campaign_year=year,
            unit_code=unit_scope.code if unit_scope else "",
            new={"file": Path(path).name, "rows": written},
        )
        campaigns_touch()
    return ImportReport(spec, written)
