"""Self scores and review scores imported from a sheet (formats.md: self-scores, review-scores)."""

from typing import Any

from kaoping.bulk import Upserted
from kaoping.ledgers import cells
from kaoping.ledgers.imports import Column, ImportContext, ImportKind, unit_code
from kaoping.org.models import Unit

from .services import MODELS, REVIEW, SELF, ScoreEntry, score_problem, scores_set


def _score_columns(note_header: str) -> tuple[Column, ...]:
    return (
        Column("单位代码", "unit_code", unit_code, note="六位行政区划代码，如 430902"),
        Column("条目", "item_id", cells.text, note="考评细则的条目编号，如 3.5"),
        Column("得分", "score", cells.score, note="0 至该条目分值，最多 2 位小数"),
        Column("说明", "note", cells.text, required=False, note=note_header),
    )


def _check(kind: str):
    def check(row: dict[str, Any], context: ImportContext) -> list[tuple[str, str]]:
        items = context.rubric.item_map
        item = items.get(row["item_id"])
        if item is None:
            return [("条目", f"“{row['item_id']}”不是 {context.rubric.id} 细则的条目；条目编号如 1.1 … 6.4")]
        problem = score_problem(kind, item, row["score"], row["note"] or "")
        if problem:
            header = "说明" if "原因" in problem else "得分"
            return [(header, problem)]
        return []

    return check


def _write(kind: str):
    def write(rows: list[dict[str, Any]], context: ImportContext) -> Upserted:
        units = {u.code: u for u in Unit.objects.filter(code__in={r["unit_code"] for r in rows})}
        stored = set(
            MODELS[kind]
            .objects.filter(campaign=context.campaign, unit__in=units.values())
            .values_list("unit__code", "item_id")
        )
        updated = sum((r["unit_code"], r["item_id"]) in stored for r in rows)
        items = context.rubric.item_map
        entries = [
            ScoreEntry(
                unit=units[r["unit_code"]], item=items[r["item_id"]], score=r["score"], note=r["note"] or ""
            )
            for r in rows
        ]
        scores_set(
            kind=kind,
            campaign=context.campaign,
            entries=entries,
            actor=context.actor,
            reason="导入",
            from_sheet=True,
        )
        return Upserted(created=len(entries) - updated, updated=updated)

    return write


SELF_SCORES = ImportKind(
    name="self-scores",
    label="自评表",
    columns=_score_columns("自评说明，可列出佐证材料"),
    key=("unit_code", "item_id"),
    check=_check(SELF),
    write=_write(SELF),
    needs_campaign=True,
)

REVIEW_SCORES = ImportKind(
    name="review-scores",
    label="考评表",
    columns=_score_columns("扣分原因：得分低于满分时必填；自动计分条目的人工评分必填"),
    key=("unit_code", "item_id"),
    check=_check(REVIEW),
    write=_write(REVIEW),
    needs_campaign=True,
)

SCORE_KINDS = {k.name: k for k in (SELF_SCORES, REVIEW_SCORES)}
