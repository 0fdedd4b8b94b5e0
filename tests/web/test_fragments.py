"""The tables are kept rendered by their content: a page drawn again after a write shows the new values
at once (a changed value is a new fragment), and two people with different rights never share one."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kaoping.assessments.services import REVIEW, SELF, ScoreEntry, scores_set
from kaoping.assessments.workflow import campaign_advance
from kaoping.campaigns.models import State
from kaoping.org.models import Unit

from .conftest import ZY

pytestmark = pytest.mark.django_db


def _review(campaign, item_id: str, score: str, note: str = "复核调整") -> None:
    item = campaign.rubric.definition.item(item_id)
    unit = Unit.objects.get(code=ZY)
    scores_set(
        kind=REVIEW, campaign=campaign, entries=[ScoreEntry(unit, item, Decimal(score), note)], actor=None
    )


def _row_of(text: str, name: str) -> str:
    found = re.search(rf"<tr>(?:(?!</tr>).)*{name}(?:(?!</tr>).)*</tr>", text, re.S)
    assert found is not None, name
    return found[0]


def test_the_results_table_shows_a_new_total_at_once(year_review, client_for):
    group, name = client_for("group"), Unit.objects.get(code=ZY).name
    before = _row_of(group.get(reverse("results")).content.decode(), name)
    _review(year_review, "1.5", "0.00", "未见资料")
    after = _row_of(group.get(reverse("results")).content.decode(), name)
    assert before != after
    total = re.findall(r"<strong>([\d.]+)</strong>", after)
    assert total and Decimal(total[0]) < Decimal(re.findall(r"<strong>([\d.]+)</strong>", before)[0])


def test_the_review_queue_shows_a_saved_score_and_each_persons_rights(year_review, client_for):
    url = reverse("review_queue") + f"?unit={ZY}&item=1.5"
    assessor = client_for("assessor")
    assert "saved-by-test" not in assessor.get(url).content.decode()
    _review(year_review, "1.5", "1.00", "saved-by-test")
    text = assessor.get(url).content.decode()
    assert "saved-by-test" in text and 'hx-post="' in text  # the owner of 1.5 may change it
    # The same rows once the year is approved: read-only, not the editable fragment drawn before.
    campaign_advance(campaign=year_review, to=State.APPROVED)
    frozen = assessor.get(url).content.decode()
    assert "saved-by-test" in frozen and "hx-post" not in frozen


def test_the_dashboard_counts_a_new_self_score(year_open, client_for):
    group, unit = client_for("group"), Unit.objects.get(code=ZY)

    def filled() -> int:
        row = _row_of(group.get(reverse("dashboard")).content.decode(), unit.name)
        return int(re.search(r"</span></span>(\d+) / \d+", row)[1])

    before = filled()
    item = next(i for i in year_open.rubric.definition.items if i.id == "1.1")
    scores_set(kind=SELF, campaign=year_open, entries=[ScoreEntry(unit, item, item.points, "")], actor=None)
    assert filled() == before + 1
