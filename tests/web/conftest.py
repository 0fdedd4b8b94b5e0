"""The 2017 year for the page tests, built through the services and the shipped sample imports.

People: 资阳区 (430902) is the unit under test, 赫山区 (430903) "another unit"; 执法监察支队 (zfjc) owns
most items (1.5 among them), 政策法规科 (zcfg) owns 1.3, 3.6, 3.7 and 4.3; plus the group, 党组, admin.
"""

import datetime
import io
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from kaoping.assessments.evidence import evidence_attach
from kaoping.assessments.models import Evidence
from kaoping.assessments.workflow import campaign_advance, campaign_create
from kaoping.campaigns.models import Campaign, State
from kaoping.importing import file_import
from kaoping.org.models import Unit
from kaoping.org.services import user_create

YEAR = 2017
ZY, HS = "430902", "430903"
PASSWORD = "Kaoping-Test-2017!"
SAMPLE = Path(__file__).resolve().parents[2] / "src" / "kaoping" / "demo" / "data" / str(YEAR)
LEDGERS = ("cases", "submissions", "tips", "patches", "events", "casefile-reviews")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EVIDENCE_NOTE = "资阳区机构设置批文"

PEOPLE = {
    "filler": dict(username="zy_filler", role="filler", unit_code=ZY, full_name="资阳区填报员"),
    "filler_other": dict(username="hs_filler", role="filler", unit_code=HS, full_name="赫山区填报员"),
    "assessor": dict(
        username="zfjc_assessor", role="assessor", department_code="zfjc", full_name="支队考评员"
    ),
    "assessor_other": dict(
        username="zcfg_assessor", role="assessor", department_code="zcfg", full_name="法规科考评员"
    ),
    "group": dict(username="group_lead", role="group", full_name="考评小组组长"),
    "party": dict(username="party", role="party", full_name="局党组"),
    "admin": dict(username="admin", role="admin", full_name="管理员"),
}


@pytest.fixture(autouse=True)
def fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(loaded) -> dict:
    return {key: user_create(password=PASSWORD, **spec) for key, spec in PEOPLE.items()}


@pytest.fixture
def client_for(people):
    """A logged-in test client for one of PEOPLE (or an anonymous one for "anonymous")."""

    def make(who: str) -> Client:
        client = Client()
        if who != "anonymous":
            client.force_login(people[who])
        return client

    return make


def _import(kinds: tuple[str, ...]) -> None:
    for kind in kinds:
        file_import(kind=kind, path=SAMPLE / f"{kind}.csv", year=YEAR)


@pytest.fixture
def year_open(people) -> Campaign:
    """2017 in 自评中 with the sample ledgers and a deadline a month ahead; no scores yet."""
    campaign = campaign_create(year=YEAR, self_deadline=timezone.localdate() + datetime.timedelta(days=30))
    _import(LEDGERS)
    return campaign_advance(campaign=campaign, to=State.SELF_ASSESSMENT)


@pytest.fixture
def year_review(year_open) -> Campaign:
    """2017 in 考评中 with every self score and review score of the sample year, and one evidence file."""
    _import(("self-scores", "review-scores"))
    item = year_open.rubric.definition.item("1.5")
    evidence_attach(
        campaign=year_open,
        unit=Unit.objects.get(code=ZY),
        item=item,
        name=f"{EVIDENCE_NOTE}.pdf",
        size=len(PDF),
        content=io.BytesIO(PDF),
        actor=None,
    )
    return campaign_advance(campaign=year_open, to=State.REVIEW)


@pytest.fixture
def year_published(year_review) -> Campaign:
    return campaign_advance(campaign=year_review, to=State.PUBLISHED)


@pytest.fixture
def evidence(year_review) -> Evidence:
    return Evidence.objects.get(campaign=year_review, unit__code=ZY, item_id="1.5")
