"""What the pages say: headings, names and figures a person reads, checked against the data behind them."""

import pytest


@pytest.mark.django_db
def test_admin_carries_the_system_name(client_for):
    for client, url in ((client_for("anonymous"), "/admin/login/"), (client_for("admin"), "/admin/")):
        text = client.get(url).content.decode()
        assert "益阳市国土资源执法监察目标管理考评系统 — 管理" in text, url
        assert "Django" not in text, url
