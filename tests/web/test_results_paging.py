"""The ranking page pages a province or a country, and finds a unit by name or code."""

import re

from kaoping.assessments.results import results_recompute
from kaoping.org.models import Unit


def test_the_ranking_is_paged_and_searchable(year_open, client_for):
    Unit.objects.bulk_create([Unit(code=f"{500000 + n}", name=f"第{n:03d}县") for n in range(130)])
    results_recompute(year_open)  # units made behind the services' back: store their results as init does
    group = client_for("group")
    first = group.get("/results/").content.decode()
    assert "共 138 个单位，第 1/2 页" in first and "下一页" in first
    assert len(re.findall(r'href="/results/[0-9]{6}/"', first)) == 100
    found = group.get("/results/", {"q": "第129县"}).content.decode()
    assert 'href="/results/500129/"' in found and 'href="/results/500128/"' not in found
    assert "共 1 个单位" in found
