"""The group records a 加分 entry in Chromium and sees it in the results and the unit's score sheet
(screenshots under artifacts/screens/)."""

import pytest

from .conftest import PDF, ZY
from .test_browser import browser, nav, shot, visit  # noqa: F401  (fixtures and helpers of the browser tests)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_group_records_a_bonus_and_the_results_show_it(bonus_year, visit, tmp_path):  # noqa: F811
    evidence = tmp_path / "表扬通报.pdf"
    evidence.write_bytes(PDF)
    page = visit("group")
    nav(page, "加分扣分记录")
    assert "执法监察工作经验被省国土资源厅或市人民政府推广" in page.content()
    page.get_by_label("单位").select_option(ZY)
    page.get_by_label("加分项 / 扣分项").select_option("J1")
    page.get_by_label("日期").fill("2017-06-01")
    page.get_by_label("依据").fill("湘国土资办函〔2017〕12号 通报表扬资阳区执法监察工作")
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    page.get_by_role("button", name="记录", exact=True).click()
    page.wait_for_selector("text=已记录：资阳区 J1 2017-06-01")
    row = page.locator("#adjustment-table tbody tr").first
    assert "1 项×1 分=1 分，加分 1 分" in row.inner_text() and "+1.00" in row.inner_text()
    shot(page, "30-adjustments")

    nav(page, "考评结果")
    ranking = page.locator("#ranking-table")
    assert "加减分" in ranking.locator("thead").inner_text()
    zy = ranking.locator("tbody tr", has_text="资阳区")
    assert "+1.00" in zy.inner_text() and "95.98" in zy.inner_text()
    zy.get_by_role("link", name="资阳区").click()
    page.wait_for_selector("#adjustment-rows")
    assert "湘国土资办函〔2017〕12号" in page.locator("#adjustment-rows").inner_text()
    shot(page, "31-unit-result-with-bonus")
