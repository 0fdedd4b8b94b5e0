"""加分扣分记录 in the browser's pages: the group records an entry with its evidence, the results, the unit's
score sheet and the ranking show it; other roles are refused; the 2017 rubric's pages are unchanged."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaoping.assessments.models import AdjustmentEntry, UnitResult
from kaoping.assessments.workflow import campaign_advance
from kaoping.campaigns.models import State

from .conftest import PDF, ZY

BASIS = "湘国土资办函〔2017〕12号 通报表扬资阳区执法监察工作"


def post_entry(client, basis=BASIS, date="2017-06-01", name="表扬通报.pdf", content=PDF, unit=ZY):
    return client.post(
        "/adjustments/",
        {
            "year": "2017",
            "unit": unit,
            "adjustment": "J1",
            "date": date,
            "basis": basis,
            "evidence": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )


@pytest.fixture
def group(bonus_year, client_for):
    return client_for("group")


def test_the_group_records_an_entry_and_sees_it_counted(group, bonus_year):
    page = group.get("/adjustments/").content.decode()
    assert "执法监察工作经验被省国土资源厅或市人民政府推广" in page and "本年度尚无加分、扣分记录。" in page
    response = post_entry(group)
    assert response.status_code == 302 and response["Location"] == "/adjustments/"
    page = group.get("/adjustments/").content.decode()
    assert f"已记录：资阳区 J1 2017-06-01 {BASIS}。" in page
    assert "1 项×1 分=1 分，加分 1 分" in page and "+1.00" in page
    entry = AdjustmentEntry.objects.get()
    assert f'href="/adjustments/{entry.pk}/evidence/"' in page
    evidence = group.get(f"/adjustments/{entry.pk}/evidence/")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == PDF
    assert UnitResult.objects.get(campaign=bonus_year, unit__code=ZY).total == Decimal("95.98")


def test_a_wrong_entry_is_shown_again_with_the_reason(group):
    response = post_entry(group, basis="   ")
    assert response.status_code == 400 and "必须写明依据" in response.content.decode()
    response = post_entry(group, name="表扬.pdf", content=b"not a pdf at all")
    assert response.status_code == 400 and "“表扬.pdf”的内容与扩展名 .pdf 不符" in response.content.decode()
    response = group.post(
        "/adjustments/", {"year": "2017", "unit": ZY, "adjustment": "J1", "date": "2017-06-01"}
    )
    page = response.content.decode()
    assert (
        response.status_code == 400 and "每条加分、扣分记录都要附佐证材料" in page and "必须写明依据" in page
    )
    assert not AdjustmentEntry.objects.exists()


def test_removing_an_entry_asks_for_a_reason(group, bonus_year):
    post_entry(group)
    entry = AdjustmentEntry.objects.get()
    group.post(f"/adjustments/{entry.pk}/delete/", {"year": "2017", "reason": ""})
    assert AdjustmentEntry.objects.exists()
    page = group.get("/adjustments/").content.decode()
    assert "未能删除记录：删除加分、扣分记录必须写明原因" in page
    group.post(f"/adjustments/{entry.pk}/delete/", {"year": "2017", "reason": "依据不属于本年度"})
    assert not AdjustmentEntry.objects.exists()
    assert UnitResult.objects.get(campaign=bonus_year, unit__code=ZY).total == Decimal("94.98")


@pytest.mark.parametrize("who", ["filler", "assessor", "party"])
def test_other_roles_cannot_open_or_post_the_page(bonus_year, client_for, who):
    client = client_for(who)
    assert client.get("/adjustments/").status_code == 403
    assert post_entry(client).status_code == 403
    assert "加分扣分记录" not in client.get("/").content.decode()
    assert not AdjustmentEntry.objects.exists()


def test_the_results_and_the_units_sheet_show_the_entries(group, bonus_year, client_for):
    before = group.get("/results/").content.decode()  # the table's rows are now cached by their content
    row = before[before.index(f'href="/results/{ZY}/"') :].split("</tr>")[0]
    assert "94.98" in row and "+" not in row
    post_entry(group)
    post_entry(group, basis="益政办发〔2017〕30号 推广资阳区经验", date="2017-09-01")
    post_entry(group, basis="第三次表扬", date="2017-11-01")
    ranking = group.get("/results/").content.decode()
    assert "加减分</th>" in ranking
    row = ranking[ranking.index(f'href="/results/{ZY}/"') :].split("</tr>")[0]
    assert "+2.00" in row and "96.98" in row
    sheet = group.get(f"/results/{ZY}/").content.decode()
    assert "加分和扣分（条目得分合计 94.98 分）" in sheet
    assert (
        "3 项×1 分=3 分，超过上限，按 2 分计加分" in sheet
        and "2017-09-01 益政办发〔2017〕30号 推广资阳区经验" in sheet
    )
    assert "条目得分 94.98，加减分 +2.00" in sheet

    # 资阳区's 填报员 sees its own entries and evidence once the results are published, not another unit's.
    published = campaign_advance(campaign=bonus_year, to=State.PUBLISHED)
    entry = AdjustmentEntry.objects.order_by("pk").first()
    filler = client_for("filler")
    own = filler.get(f"/results/{ZY}/").content.decode()
    assert "第三次表扬" in own and f"/adjustments/{entry.pk}/evidence/" in own
    assert filler.get(f"/adjustments/{entry.pk}/evidence/").status_code == 200
    assert client_for("filler_other").get(f"/adjustments/{entry.pk}/evidence/").status_code == 404
    assert published.is_frozen and "记录已冻结，不能新增或删除" in group.get("/adjustments/").content.decode()


def test_the_2017_rubrics_pages_have_no_adjustments(year_review, client_for):
    group = client_for("group")
    assert "加减分" not in group.get("/results/").content.decode()
    assert "加分和扣分" not in group.get(f"/results/{ZY}/").content.decode()
    page = group.get("/adjustments/").content.decode()
    assert (
        "2017 年度的考评细则（yiyang-2017）未设加分项或扣分项" in page
        and '<form method="post" enctype' not in page
    )
