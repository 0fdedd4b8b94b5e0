"""A GET reads what is stored: no page computes a year, writes a row or takes a write lock."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import ZY

WRITES = re.compile(r"^(\d+ times: )?\s*(INSERT|UPDATE|DELETE|CREATE|DROP)\b|\bFOR UPDATE\b", re.IGNORECASE)
PAGES = {
    "group": [
        "/",
        "/results/",
        f"/results/{ZY}/",
        "/results/differences/",
        "/review/",
        "/review/?status=unscored",
        "/ledgers/",
        "/events/",
        "/followup/",
        f"/self/{ZY}/",
    ],
    "assessor": ["/", "/review/", "/review/?item=1.5", "/results/"],
    "filler": ["/", "/self/", "/ledgers/", "/results/"],
    "party": ["/", "/approval/", "/results/"],
}


@pytest.mark.parametrize("who", sorted(PAGES))
def test_pages_write_nothing(year_review, client_for, who):
    client = client_for(who)
    client.get("/")  # the session's first request may store the chosen year
    for url in PAGES[who]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        writes = [q["sql"][:120] for q in captured.captured_queries if WRITES.search(q["sql"])]
        writes = [sql for sql in writes if "django_session" not in sql]
        assert writes == [], (url, writes)


def test_the_api_reads_write_nothing(year_review, client_for):
    client = client_for("group")
    client.get("/")
    for url in [
        "/api/campaigns",
        "/api/campaigns/2017",
        "/api/campaigns/2017/results",
        f"/api/campaigns/2017/units/{ZY}/items",
    ]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        writes = [q["sql"][:120] for q in captured.captured_queries if WRITES.search(q["sql"])]
        assert [sql for sql in writes if "django_session" not in sql] == [], (url, writes)
