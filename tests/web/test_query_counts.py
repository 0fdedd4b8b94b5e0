"""The number of queries of each page does not grow with the number of units (issue 8): the database
pages, filters and counts; no page reads every unit's rows one by one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaoping.importing import file_import

from .conftest import ZY

PAGES = [
    ("group", "/"),
    ("group", "/results/"),
    ("group", f"/results/{ZY}/"),
    ("group", "/review/"),
    ("group", "/ledgers/"),
    ("group", "/followup/"),
    ("group", "/adjustments/"),
    ("assessor", "/"),
    ("assessor", "/review/"),
    ("assessor", "/review/?item=1.5&status=reviewed"),
    ("filler", "/"),
    ("filler", "/self/"),
    ("filler", "/ledgers/"),
    ("party", "/"),
    ("party", "/approval/"),
]


def _counts(client_for) -> dict:
    counts = {}
    for who, url in PAGES:
        client = client_for(who)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts[(who, url)] = len(captured)
    return counts


@pytest.mark.django_db
def test_page_queries_do_not_grow_with_the_units(year_review, client_for, tmp_path):
    few = _counts(client_for)
    units = tmp_path / "units.csv"
    units.write_text("单位代码,单位名称\n" + "".join(f"{500000 + n},第{n}县\n" for n in range(150)), "utf-8")
    file_import(kind="units", path=units, year=None)  # scored from the moment they exist
    many = _counts(client_for)
    assert few == many
