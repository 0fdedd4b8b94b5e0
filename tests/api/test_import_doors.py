"""POST /api/imports: every import kind × every person, answered as the policy says — allowed: 200 and the rows
landed; refused: 403 with the policy's own reason and nothing written.

Each file is one row of the caller's own unit (a 填报员's; 资阳区 for the city's roles), taken from the shipped
2017 sample and given a key of its own, so that "landed" means this upload wrote it.
"""

import csv
import datetime
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaoping.assessments.models import ReviewScore, SelfScore
from kaoping.assessments.services import review_scope, self_scope
from kaoping.campaigns.models import Campaign
from kaoping.importing import KINDS
from kaoping.ledgers.models import Case, CaseFileReview, Event, Patch, Submission, Tip
from kaoping.org.models import Unit
from kaoping.org.policy import Action, campaign_facts, policy_refusal
from sheets import row

from .conftest import HS, YEAR, ZY, csv_bytes

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "kaoping" / "demo" / "data" / str(YEAR)
GROUP_EVENTS = ("约谈", "问责", "数据不实")  # the group's findings: not in a unit's own file
MARK = "门测"  # every key and note this file writes carries it
FILLERS = {"filler_own", "filler_other", "token"}  # the token is 资阳区's 填报员
PEOPLE = ("filler_own", "filler_other", "token", "assessor_own", "assessor_other", "group", "party", "admin")

# Who may import each kind while 2017 is 自评中 (the product's rules, formats.md):
IN_SELF_ASSESSMENT = {
    "units": {"admin"},
    "cases": FILLERS | {"group", "admin"},
    "submissions": FILLERS | {"group", "admin"},
    "tips": FILLERS | {"group", "admin"},
    "patches": FILLERS | {"group", "admin"},
    "events": FILLERS | {"group", "admin"},
    "casefile-reviews": {"group", "admin"},
    "self-scores": FILLERS | {"group", "admin"},  # the group loads a unit's sheet on its behalf
    "review-scores": {"admin"},  # the group in 考评中 only; the command line (admin) in any open state
}
# ... and while it is 考评中: self-assessment is closed to the units.
IN_REVIEW = {"self-scores": {"group", "admin"}, "review-scores": {"group", "admin"}}


def test_every_kind_is_here():
    assert set(IN_SELF_ASSESSMENT) == set(KINDS)


def unit_of(person: str) -> str:
    return HS if person == "filler_other" else ZY


def _sample_row(kind: str, unit: str) -> dict[str, str]:
    with (SAMPLE / f"{kind}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return next(
            r for r in csv.DictReader(handle) if r["单位代码"] == unit and r.get("类型") not in GROUP_EVENTS
        )


SUBMITTED_AT = "2017-01-19 23:58"


def door_file(kind: str, unit: str) -> dict[str, str]:
    """One valid row of `kind` for `unit`, keyed so that it is new."""
    if kind == "units":
        return {"单位代码": "430999", "单位名称": f"{MARK}新区"}
    values = _sample_row(kind, unit)
    key = {
        "cases": "案件编号",
        "tips": "线索编号",
        "patches": "图斑编号",
        "casefile-reviews": "案卷编号",
    }.get(kind)
    if key:
        values[key] = f"{MARK}-{unit}-{kind}"
    if kind == "submissions":
        values["提交时间"] = SUBMITTED_AT
    if kind in ("events", "self-scores", "review-scores"):
        values["说明"] = f"{MARK}{unit}"
    return values


def landed(kind: str, values: dict[str, str]) -> bool:
    """Is this row in the database as uploaded?"""
    unit = values["单位代码"]
    if kind == "units":
        return Unit.objects.filter(code=unit, name=values["单位名称"]).exists()
    if kind == "submissions":
        found = Submission.objects.filter(
            unit__code=unit, kind=values["报表类型"], period=values["所属期"]
        ).first()
        return (
            found is not None and f"{timezone.localtime(found.submitted_at):%Y-%m-%d %H:%M}" == SUBMITTED_AT
        )
    if kind in ("self-scores", "review-scores"):
        model = SelfScore if kind == "self-scores" else ReviewScore
        return model.objects.filter(unit__code=unit, item_id=values["条目"], note=values["说明"]).exists()
    model, field, header = {
        "cases": (Case, "number", "案件编号"),
        "tips": (Tip, "number", "线索编号"),
        "patches": (Patch, "code", "图斑编号"),
        "casefile-reviews": (CaseFileReview, "number", "案卷编号"),
        "events": (Event, "note", "说明"),
    }[kind]
    return model.objects.filter(unit__code=unit, **{field: values[header]}).exists()


def door_refusal(user, kind: str, values: dict[str, str]) -> str | None:
    """What the policy answers this person for this upload, asked the way the import service asks it."""
    spec = KINDS[kind]
    refusal = policy_refusal(user, Action.IMPORT, kind=kind)
    if refusal is None and (spec.needs_campaign or spec.needs_year):
        campaign = Campaign.objects.get(year=YEAR)
        refusal = policy_refusal(user, Action.IMPORT, kind=kind, campaign=campaign_facts(campaign))
    if refusal is None and kind in ("self-scores", "review-scores"):
        campaign = Campaign.objects.get(year=YEAR)
        unit, item = (
            Unit.objects.get(code=values["单位代码"]),
            campaign.rubric.definition.item(values["条目"]),
        )
        if kind == "self-scores":
            action, scope = Action.SELF_SCORE, self_scope(campaign, unit, item)
        else:
            action, scope = Action.REVIEW_SCORE, review_scope(campaign, unit, item)
        refusal = policy_refusal(user, action, replace(scope, from_sheet=True))
    return refusal


def upload(client, kind: str, values: dict[str, str]):
    columns = [column.header for column in KINDS[kind].columns]
    rows = [columns, row(kind, **values)]
    data = {"kind": kind, "year": YEAR, "file": SimpleUploadedFile(f"{kind}.csv", csv_bytes(rows))}
    return client.post("/api/imports", data)


def _door(client_for, people, person: str, kind: str, allowed: set[str]) -> None:
    values = door_file(kind, unit_of(person))
    user = people["filler_own" if person == "token" else person]
    expected = door_refusal(user, kind, values)
    assert (expected is None) == (person in allowed), f"the policy says {expected!r}"
    response = upload(client_for(person), kind, values)
    body = response.json()
    if person in allowed:
        assert response.status_code == 200, body
        assert body["rows"] == 1 and body["kind"] == kind
        assert landed(kind, values)
    else:
        assert response.status_code == 403, body
        assert body["detail"] == expected
        assert not landed(kind, values)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("kind", list(IN_SELF_ASSESSMENT))
def test_in_self_assessment(self_year, people, client_for, kind, person):
    _door(client_for, people, person, kind, IN_SELF_ASSESSMENT[kind])


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("kind", list(IN_REVIEW))
def test_scores_in_review(review_year, people, client_for, kind, person):
    _door(client_for, people, person, kind, IN_REVIEW[kind])


@pytest.mark.parametrize("person", ["filler_own", "token"])
def test_a_filler_never_imports_casefile_reviews(self_year, client_for, person):
    before = CaseFileReview.objects.count()
    response = upload(client_for(person), "casefile-reviews", door_file("casefile-reviews", ZY))
    assert response.status_code == 403
    assert response.json()["detail"] == "案卷评查由考评小组导入：单位不能为本单位的案卷评分"
    assert CaseFileReview.objects.count() == before


def test_a_frozen_year_takes_no_scores_and_no_patches(approved_year, client_for):
    text = "2017 年度考评已审定，所有分数和台帐已冻结，不能再修改"
    for kind in ("patches", "self-scores", "review-scores"):
        values = door_file(kind, ZY)
        response = upload(client_for("group"), kind, values)
        assert (response.status_code, response.json()["detail"]) == (403, text), kind
        assert not landed(kind, values)


def test_the_sample_rows_are_the_callers_own(self_year):
    # A guard for the files above: the sample has rows of both units, none of the group's event kinds.
    for kind in set(KINDS) - {"units"}:
        for unit in (ZY, HS):
            assert door_file(kind, unit)["单位代码"] == unit
    assert datetime.date.fromisoformat(door_file("events", ZY)["日期"]).year == YEAR
