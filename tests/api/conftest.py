"""A 2017 year for the API tests, built through the services and imports, and one client per person.

People: 资阳区 (430902) has two 填报员 and one token; 赫山区 (430903) one 填报员; 人事教育科 (rsjy) owns
item 1.2, 执法监察支队 (zfjc) does not; plus the group leader, the 党组 and an administrator.
"""

import csv
import datetime
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client

from kaoping.api.tokens import api_token_create
from kaoping.assessments.services import REVIEW, SELF, ScoreEntry, scores_set
from kaoping.assessments.workflow import campaign_advance, campaign_create
from kaoping.campaigns.models import Campaign, State
from kaoping.importing import file_import
from kaoping.org.models import Unit
from kaoping.org.services import user_create

YEAR = 2017
ZY, HS = "430902", "430903"  # 资阳区: the unit under test; 赫山区: "another unit"
OWNED_ITEM = "1.2"  # manual, 1 point, owned by rsjy
SECRET_NOTE = "资阳区自评说明：机构设置文件见附件"  # must never reach anyone outside 资阳区 and the city
PASSWORD = "Kaoping-Test-2017!"

ROLES = [
    "filler_own",
    "filler_other",
    "assessor_own",
    "assessor_other",
    "group",
    "party",
    "admin",
    "anonymous",
    "token",
]


def csv_bytes(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(loaded) -> dict:
    accounts = {
        "filler_own": dict(username="zy_filler", role="filler", unit_code=ZY),
        "filler_own2": dict(username="zy_filler2", role="filler", unit_code=ZY),
        "filler_other": dict(username="hs_filler", role="filler", unit_code=HS),
        "assessor_own": dict(username="rsjy_assessor", role="assessor", department_code="rsjy"),
        "assessor_other": dict(username="zfjc_assessor", role="assessor", department_code="zfjc"),
        "group": dict(username="leader", role="group"),
        "party": dict(username="party", role="party"),
        "admin": dict(username="admin", role="admin"),
    }
    return {key: user_create(password=PASSWORD, **fields) for key, fields in accounts.items()}


@pytest.fixture
def token(people) -> str:
    """A token of 资阳区's 填报员: it acts with exactly that person's role and scope."""
    return api_token_create(user=people["filler_own"], name="资阳区对接")


@pytest.fixture
def self_year(people) -> Campaign:
    """2017 in 自评中, before its deadline, with ledgers for both units and 资阳区's self score on 1.2."""
    campaign = campaign_create(year=YEAR, self_deadline=datetime.date.today() + datetime.timedelta(days=30))
    events = [
        ["单位代码", "类型", "日期", "说明"],
        [ZY, "党组听取汇报", "2017-02-10", "一季度"],
        [ZY, "业务培训", "2017-06-01", "执法培训"],
        [HS, "约谈", "2017-09-01", "卫片整改不力被约谈"],
    ]
    file_import(kind="events", path="events.csv", content=csv_bytes(events), year=None)
    campaign = campaign_advance(campaign=campaign, actor=people["group"])
    unit = Unit.objects.get(code=ZY)
    item = campaign.rubric.definition.item(OWNED_ITEM)
    scores_set(
        kind=SELF,
        campaign=campaign,
        entries=[ScoreEntry(unit=unit, item=item, score=Decimal(1), note=SECRET_NOTE)],
        actor=people["filler_own"],
    )
    return campaign


@pytest.fixture
def review_year(self_year, people) -> Campaign:
    return campaign_advance(campaign=self_year, actor=people["group"])


def review_every_unscored_item(campaign: Campaign) -> None:
    """Give every manual item, and 4.3 (no case file reviewed), a full review score: nothing 未评."""
    rubric = campaign.rubric.definition
    entries = [
        ScoreEntry(
            unit=unit,
            item=item,
            score=item.points,
            note="案卷评查未开展，按满分计" if item.method == "rule" else "",
        )
        for unit in Unit.objects.all()
        for item in rubric.items
        if item.method == "manual" or item.id == "4.3"
    ]
    scores_set(kind=REVIEW, campaign=campaign, entries=entries, actor=None)


@pytest.fixture
def approved_year(review_year, people) -> Campaign:
    review_every_unscored_item(review_year)
    campaign = campaign_advance(campaign=review_year, actor=people["group"], to=State.PENDING_APPROVAL)
    return campaign_advance(campaign=campaign, actor=people["party"])


@pytest.fixture
def published_year(approved_year, people) -> Campaign:
    campaign = campaign_advance(campaign=approved_year, actor=people["party"])
    assert campaign.state == State.PUBLISHED
    return campaign


@pytest.fixture
def client_for(people, token) -> Callable[[str], Client]:
    """A client acting as one of ROLES (session login, bearer token, or nobody)."""

    def make(role: str) -> Client:
        if role == "anonymous":
            return Client()
        if role == "token":
            return Client(headers={"Authorization": f"Bearer {token}"})
        client = Client()
        client.force_login(people[role])
        return client

    return make
