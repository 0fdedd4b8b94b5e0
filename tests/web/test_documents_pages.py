"""The pages that offer the 通报 say when it is a draft, and the group's dashboard shows its settings."""

import datetime
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document

from kaoping.assessments.workflow import campaign_advance, campaign_settings_update
from kaoping.campaigns.models import State

pytestmark = pytest.mark.django_db


def _header_text(content: bytes) -> str:
    section = Document(io.BytesIO(content)).sections[0]
    return "".join(p.text for h in (section.header, section.even_page_header) for p in h.paragraphs)


def test_before_approval_the_notice_is_offered_and_sent_as_a_draft(year_review, client_for):
    group = client_for("group")
    page = group.get(reverse("results")).content.decode()
    assert "下载通报草稿（Word，未经市局党组审定）" in page
    response = group.get(reverse("notice"))
    assert response.status_code == 200
    assert "（草稿）.docx" in unquote(response["Content-Disposition"])
    assert "草稿" in _header_text(response.content) and "未经市局党组审定" in _header_text(response.content)


def test_after_approval_the_notice_is_the_signed_one(year_review, client_for):
    campaign_advance(campaign=year_review, to=State.APPROVED)
    group = client_for("group")
    page = group.get(reverse("results")).content.decode()
    assert "下载通报（Word）" in page and "通报草稿" not in page
    response = group.get(reverse("notice"))
    assert "草稿" not in unquote(response["Content-Disposition"])
    assert "草稿" not in _header_text(response.content)


def test_the_dashboard_shows_the_notice_settings_as_they_will_print(year_review, client_for):
    group = client_for("group")
    page = group.get(reverse("dashboard")).content.decode()
    assert "依据文号：益国土资发〔2017〕22号（考评细则所载）" in page
    assert "成文日期：" in page and "（未审定：取生成当天）" in page
    campaign_settings_update(
        campaign=year_review,
        actor=None,
        basis_number="益国土资发〔2017〕99号",
        notice_date=datetime.date(2017, 12, 30),
        notice_number="益国土资通〔2017〕50号",
    )
    page = group.get(reverse("dashboard")).content.decode()
    assert "依据文号：益国土资发〔2017〕99号" in page
    assert "成文日期：2017年12月30日" in page
    assert "通报文号：益国土资通〔2017〕50号" in page


def test_the_years_rules_are_a_download_for_every_unit(year_review, client_for):
    page = client_for("group").get(reverse("dashboard")).content.decode()
    assert reverse("rules_document") in page and "下载考评通知及细则（Word）" in page
    response = client_for("filler").get(reverse("rules_document"))
    assert response.status_code == 200
    assert unquote(response["Content-Disposition"]).endswith("2017年度考评通知及细则.docx")
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "关于全市2017年度国土资源执法监察工作\n目标管理考评有关事项的通知" in texts
    assert "一、机构建设和执法保障（16分）" in texts
