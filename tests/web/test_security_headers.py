"""The locked-down page: one Content-Security-Policy without inline script on every response, HSTS and secure
cookies in production, and one upload limit for the page and the API, stated on the form."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaoping.ledgers.models import Tip

from .conftest import ZY

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "kaoping" / "web" / "templates"
TIPS = f"线索编号,单位代码,登记日期,办理期限,办结日期,是否上报支队\nWEB-1,{ZY},2017-03-01,2017-03-16,,是\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/results/", "/api/docs", "/api/openapi.json", "/static/web/kaoping.js"]
)
def test_every_response_carries_the_policy(client_for, year_open, client, path):
    assert client.get("/login/").headers["Content-Security-Policy"] == CSP
    response = client_for("group").get(path)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CSP


def test_no_template_has_an_inline_script_or_handler():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "hx-on" not in text, template
        for tag in text.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening, f"{template}: inline <script{opening}>"
        assert not re.search(r"\son[a-z]+\s*=", text), template


def test_production_sends_hsts_and_secure_cookies_and_passes_the_deploy_check(tmp_path):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' live server in the same session.
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(
        KAOPING_PRODUCTION="1",
        KAOPING_SECRET_KEY="test-only-" + "x" * 60,
        KAOPING_HOME=str(tmp_path),
        DJANGO_SETTINGS_MODULE="kaoping.settings",
    )
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE,"
            " s.CSRF_COOKIE_SECURE, s.CONTENT_SECURITY_POLICY == " + repr(CSP) + ")",
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert shown.stdout.split() == ["31536000", "True", "True", "True"], shown.stderr
    check = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.django_db
def test_one_upload_limit_for_the_page_and_the_api_stated_on_the_form(year_open, client_for, settings):
    group = client_for("group")
    assert "文件不超过 50 MB，更大的请拆分后分批导入。" in group.get(reverse("ledgers")).content.decode()
    settings.LEDGER_MAX_BYTES = 1024 * 1024
    big = TIPS.encode("utf-8") + b"\n" * (1024 * 1024)
    page = group.post(reverse("ledgers"), {"kind": "tips", "file": SimpleUploadedFile("tips.csv", big)})
    assert "文件 tips.csv 超过 1 MB，请拆分后分批导入" in page.content.decode()
    assert "文件不超过 1 MB" in page.content.decode()
    api = group.post(
        "/api/imports", {"kind": "tips", "year": 2017, "file": SimpleUploadedFile("tips.csv", big)}
    )
    assert api.status_code == 422
    assert api.json()["detail"] == "文件 tips.csv 超过 1 MB，请拆分后分批导入"
    assert Tip.objects.filter(number="WEB-1").count() == 0
    # Just under the limit goes through both doors.
    fits = TIPS.encode("utf-8")
    assert (
        group.post(
            "/api/imports", {"kind": "tips", "year": 2017, "file": SimpleUploadedFile("t.csv", fits)}
        ).json()["detail"]
        == "已导入 1 条举报线索：新增 1 条，更新 0 条"
    )
