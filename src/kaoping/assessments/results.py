"""Campaign results: facts → rule scores → final scores → grades and ranks, stored per unit.

Results are recomputed when the campaign's data version has moved on since the last computation,
and never once the campaign is frozen (the stored rows are then the approved record).
"""

from decimal import Decimal

from django.db import transaction

from kaoping.campaigns.models import Campaign
from kaoping.ledgers.facts import gather_facts
from kaoping.ledgers.upsert import rows_upsert
from kaoping.org.models import Unit
from kaoping.scoring.grading import GradeSettings, UnitStanding, final_item, rank_and_grade, section_totals

from .models import ReviewScore, SelfScore, UnitResult
from .outcome import CampaignOutcome, ItemOutcome, UnitOutcome


def _decimal_or_none(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _text_or_none(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


RESULT_FIELDS = ("unit", "unit_name", "total", "vetoes", "sections", "items", "unscored", "rank", "grade")


def results_recompute(campaign: Campaign) -> None:
    """Compute every unit's result from the ledgers and scores, and store it (one bulk write)."""
    rubric = campaign.rubric.definition
    units = list(Unit.objects.order_by("code"))
    facts = gather_facts(campaign.year, rubric, [u.pk for u in units])
    self_scores = {
        (unit_id, item_id): score
        for unit_id, item_id, score in SelfScore.objects.filter(campaign=campaign).values_list(
            "unit_id", "item_id", "score"
        )
    }
    reviews = {
        (unit_id, item_id): (score, note)
        for unit_id, item_id, score, note in ReviewScore.objects.filter(campaign=campaign).values_list(
            "unit_id", "item_id", "score", "note"
        )
    }
    rubric_items = rubric.items
    section_of = {item.id: item.section for item in rubric_items}
    standings, rows = [], {}
    for unit in units:
        unit_facts = facts[unit.pk]
        items, finals = {}, {}
        for item in rubric_items:
            computed = item.compute(unit_facts)
            review_score, review_note = reviews.get((unit.pk, item.id), (None, ""))
            final = final_item(computed, review_score)
            finals[item.id] = final.score
            items[item.id] = {
                "score": _text_or_none(final.score),
                "self": _text_or_none(self_scores.get((unit.pk, item.id))),
                "source": final.source,
                "computed": _text_or_none(computed.score) if computed else None,
                "explanation": final.explanation,
                "review_note": review_note,
            }
        sections = section_totals(finals, section_of)
        total = sum(sections.values(), Decimal("0.00"))
        vetoes = [kind for kind in rubric.veto_events if unit_facts.event_counts.get(kind, 0)]
        unscored = sum(1 for score in finals.values() if score is None)
        standings.append(UnitStanding(code=unit.code, total=total, vetoes=tuple(vetoes)))
        rows[unit.code] = {
            "unit": unit.pk,
            "unit_name": unit.name,
            "total": total,
            "vetoes": vetoes,
            "sections": {number: str(score) for number, score in sections.items()},
            "items": items,
            "unscored": unscored,
            "rank": None,
            "grade": "",
        }
    complete = all(row["unscored"] == 0 for row in rows.values())
    settings = GradeSettings(campaign.pass_min, campaign.excellent_min, campaign.excellent_quota)
    if complete:
        for standing in rank_and_grade(standings, settings):
            rows[standing.code].update(rank=standing.rank, grade=standing.grade)
    with transaction.atomic():
        UnitResult.objects.filter(campaign=campaign).delete()
        # One statement for any number of units (bulk_create would send a batch per 99 on SQLite).
        rows_upsert(
            UnitResult,
            ["campaign", *RESULT_FIELDS],
            ["campaign", "unit"],
            ((campaign.pk, *(row[f] for f in RESULT_FIELDS)) for row in rows.values()),
        )
        Campaign.objects.filter(pk=campaign.pk).update(results_version=campaign.data_version)


def results_refresh(campaign: Campaign) -> None:
    """Recompute the stored results if the campaign's data changed (never for a frozen campaign)."""
    campaign.refresh_from_db(fields=["data_version", "results_version", "state"])
    if not campaign.is_frozen and campaign.results_version != campaign.data_version:
        with transaction.atomic():
            # One recomputation at a time; a writer's version bump waits for it and triggers the next.
            locked = Campaign.objects.select_for_update().select_related("rubric").get(pk=campaign.pk)
            if locked.results_version != locked.data_version:
                results_recompute(locked)


def results_current(campaign: Campaign) -> CampaignOutcome:
    """The campaign's results, recomputed first if its data changed."""
    results_refresh(campaign)
    return results_stored(campaign)


def results_ranking(campaign: Campaign) -> CampaignOutcome:
    """Totals, sections, ranks and grades of every unit, without the per-item outcomes (a ranking page
    of thousands of units reads 2,850 small rows instead of 100,000 item entries)."""
    results_refresh(campaign)
    return results_stored(campaign, with_items=False)


def results_stored(
    campaign: Campaign, unit_codes: list[str] | None = None, *, with_items: bool = True
) -> CampaignOutcome:
    """Read the stored results (optionally of some units only), by rank then code."""
    rubric = campaign.rubric.definition
    query = UnitResult.objects.filter(campaign=campaign).select_related("unit")
    if unit_codes is not None:
        query = query.filter(unit__code__in=unit_codes)
    if not with_items:
        query = query.defer("items")
    outcome = CampaignOutcome(
        year=campaign.year,
        state=campaign.get_state_display(),
        rubric=rubric,
        pass_min=campaign.pass_min,
        excellent_min=campaign.excellent_min,
        excellent_quota=campaign.excellent_quota,
    )
    # By rank, then code (formats.md); while ranks are pending (未评 items), by code.
    results = sorted(query, key=lambda r: (r.rank or 0, r.unit.code))
    for result in results:
        outcome.units.append(
            UnitOutcome(
                code=result.unit.code,
                name=result.unit_name or result.unit.name,
                total=result.total,
                rank=result.rank,
                grade=result.grade or None,
                vetoes=list(result.vetoes),
                sections={s.number: Decimal(result.sections[s.number]) for s in rubric.sections},
                items={
                    item_id: ItemOutcome(
                        item_id=item_id,
                        score=_decimal_or_none(data["score"]),
                        self_score=_decimal_or_none(data["self"]),
                        source=data["source"],
                        computed=_decimal_or_none(data["computed"]),
                        explanation=data["explanation"],
                        review_note=data["review_note"],
                    )
                    # In rubric order: a JSON column need not keep its keys' order (PostgreSQL jsonb).
                    for item_id, data in ((item.id, result.items[item.id]) for item in rubric.items)
                }
                if with_items
                else {},
                unscored=result.unscored,
            )
        )
    return outcome
