"""Uploads in the pages: ledgers (all or nothing, row errors, a unit's own rows only), templates,
and evidence (type, content and size checked)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaoping.assessments.models import Evidence
from kaoping.ledgers.models import CaseFileReview, Tip

from .conftest import HS, PDF, ZY

HTMX = {"HTTP_HX_REQUEST": "true"}
TIPS_HEADER = "线索编号,单位代码,登记日期,办理期限,办结日期,是否上报支队\n"


def _csv(name: str, body: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (TIPS_HEADER + body).encode("utf-8"), content_type="text/csv")


@pytest.mark.django_db
def test_ledger_upload_imports_every_row(year_open, client_for):
    before = Tip.objects.count()
    body = f"WEB-1,{ZY},2017-03-01,2017-03-16,2017-03-10,是\nWEB-2,{ZY},2017-04-01,2017-04-16,,否\n"
    response = client_for("filler").post(
        reverse("ledgers"), {"kind": "tips", "file": _csv("tips.csv", body)}, follow=True
    )
    assert "tips.csv：已导入 2 条举报线索" in response.content.decode()
    assert Tip.objects.count() == before + 2


@pytest.mark.django_db
def test_ledger_upload_lists_row_errors_and_imports_nothing(year_open, client_for):
    before = Tip.objects.count()
    body = f"WEB-1,{ZY},2017-03-01,2017-03-16,2017-03-10,是\nWEB-2,{ZY},not-a-date,2017-04-16,,也许\n"
    response = client_for("filler").post(reverse("ledgers"), {"kind": "tips", "file": _csv("tips.csv", body)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "未导入任何数据" in text and "第 3 行 [登记日期]" in text and "第 3 行 [是否上报支队]" in text
    assert "下载 举报线索模板.xlsx" in text  # the template is one click away
    assert Tip.objects.count() == before


@pytest.mark.django_db
def test_a_unit_uploads_its_own_rows_only(year_open, client_for):
    body = f"WEB-9,{HS},2017-03-01,2017-03-16,2017-03-10,是\n"
    response = client_for("filler").post(reverse("ledgers"), {"kind": "tips", "file": _csv("tips.csv", body)})
    assert response.status_code == 400
    assert "只能导入本单位（资阳区 430902）的记录，不能导入 430903 的" in response.content.decode()
    assert not Tip.objects.filter(number="WEB-9").exists()


@pytest.mark.django_db
def test_kind_not_offered_to_the_role_is_refused(year_open, client_for):
    body = "案卷编号,单位代码,评查日期,评查得分\nX,430902,2017-05-01,99\n"
    upload = SimpleUploadedFile("r.csv", body.encode(), content_type="text/csv")
    response = client_for("filler").post(reverse("ledgers"), {"kind": "casefile-reviews", "file": upload})
    assert (
        response.status_code == 403
        and "案卷评查由考评小组导入：单位不能为本单位的案卷评分" in response.content.decode()
    )
    assert not CaseFileReview.objects.filter(number="X").exists()


@pytest.mark.django_db
def test_template_download(year_open, client_for):
    response = client_for("filler").get(reverse("ledger_template", args=["tips"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_filler_sees_its_monthly_reports(year_open, client_for):
    text = client_for("filler").get(reverse("ledgers")).content.decode()
    assert "2017-01" in text and "截止日期" in text and ("按时" in text or "逾期" in text or "未报" in text)


def _upload(client, name: str, content: bytes, item_id: str = "1.2"):
    upload = SimpleUploadedFile(name, content)
    return client.post(reverse("evidence_upload", args=[ZY, item_id]), {"file": upload}, **HTMX)


@pytest.mark.django_db
def test_evidence_upload_and_delete(year_open, client_for):
    client = client_for("filler")
    response = _upload(client, "机构批文.pdf", PDF)
    assert response.status_code == 200 and "已上传 机构批文.pdf" in response.content.decode()
    evidence = Evidence.objects.get(item_id="1.2", unit__code=ZY)
    assert evidence.original_name == "机构批文.pdf" and evidence.size == len(PDF)
    assert "/media/" not in response.content.decode()  # linked through the checking view only
    assert reverse("evidence_file", args=[evidence.pk]) in response.content.decode()
    response = client.post(reverse("evidence_delete", args=[evidence.pk]), **HTMX)
    assert response.status_code == 200 and not Evidence.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content,message",
    [
        ("run.exe", b"MZ\x90\x00", "文件类型不允许"),
        ("page.html", b"<html>", "文件类型不允许"),
        ("fake.pdf", b"<script>alert(1)</script>", "内容与扩展名 .pdf 不符"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_evidence_refused(year_open, client_for, name, content, message):
    response = _upload(client_for("filler"), name, content)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_evidence_size_limit(year_open, client_for, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = _upload(client_for("filler"), "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400 and "超过上限" in response.content.decode()


@pytest.mark.django_db
def test_evidence_refused_after_submission_window(year_review, client_for):
    response = _upload(client_for("filler"), "late.pdf", PDF)
    assert response.status_code == 403 and "自评已关闭" in response.content.decode()
