"""What the pages say: headings, names and figures a person reads, checked against the data behind them."""

import pytest
from django.urls import reverse

from kaoping.campaigns.models import State
from kaoping.campaigns.services import campaign_advance


@pytest.mark.django_db
def test_admin_carries_the_system_name(client_for):
    for client, url in ((client_for("anonymous"), "/admin/login/"), (client_for("admin"), "/admin/")):
        text = client.get(url).content.decode()
        assert "益阳市国土资源执法监察目标管理考评系统 — 管理" in text, url
        assert "Django" not in text, url


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


@pytest.mark.django_db
def test_dashboard_ranking_is_a_preview_until_approved(year_review, client_for):
    group = client_for("group")
    assert "<h2>排名预览（未审定）</h2>" in group.get("/").content.decode()
    campaign_advance(campaign=year_review, to=State.APPROVED)
    text = group.get("/").content.decode()
    assert "<h2>排名</h2>" in text and "排名预览" not in text
    campaign_advance(campaign=year_review, to=State.PUBLISHED)
    assert "<h2>排名</h2>" in group.get("/").content.decode()


@pytest.mark.django_db
def test_ranking_table_shows_whole_section_names(year_published, client_for):
    text = client_for("party").get(reverse("results")).content.decode()
    head = _section(text, '<table class="data" id="ranking-table"', "</thead>")
    for title in ("机构建设和执法保障", "土地矿产卫片执法检查"):
        assert f"{title}<br>" in head
    assert 'title="1. 机构建设和执法保障（16.00 分）"' in head
    assert "…" not in head and "..." not in head
