"""An approved year's facts never change through an import, while a record's other years stay editable."""

import pytest

from kaoping.campaigns.models import Campaign
from kaoping.errors import Refused, RowErrors
from kaoping.importing import file_import
from kaoping.ledgers.models import Case

HEADERS = [
    "案件编号",
    "单位代码",
    "违法类型",
    "发现方式",
    "是否重大案件",
    "立案日期",
    "是否公开立案",
    "处罚程序",
    "处罚决定日期",
    "生效日期",
    "网上公布日期",
    "结案日期",
    "是否公开曝光",
    "曝光日期",
    "复议诉讼结果",
]
C1 = ["C1", "430902", "土地", "动态巡查", "是", "2017-03-01", "是", "一般", "", "", "", "", "否", "", ""]


@pytest.fixture
def approved_2017(campaign, write_csv):
    file_import(kind="cases", path=write_csv("cases.csv", [HEADERS, C1]), year=2017)
    Campaign.objects.filter(pk=campaign.pk).update(state="approved")


def _with(**changes):
    row = dict(zip(HEADERS, C1, strict=True))
    row.update(changes)
    return [row[h] for h in HEADERS]


def test_moving_a_record_out_of_an_approved_year_is_refused(approved_2017, write_csv):
    with pytest.raises(RowErrors) as caught:
        file_import(kind="cases", path=write_csv("c.csv", [HEADERS, _with(立案日期="2018-03-01")]), year=2018)
    assert caught.value.errors[0].startswith("第 2 行 [立案日期]: 该记录计入已审定的 2017 年度考评")
    assert str(Case.objects.get().filed_on) == "2017-03-01"


def test_a_new_record_dated_in_an_approved_year_is_refused(approved_2017, write_csv):
    row = _with(案件编号="C2")
    with pytest.raises(RowErrors, match="第 2 行 \\[立案日期\\]: 该记录计入已审定的 2017 年度考评"):
        file_import(kind="cases", path=write_csv("c.csv", [HEADERS, row]), year=2018)


def test_a_later_years_decision_on_an_approved_years_case_is_accepted(approved_2017, write_csv):
    later = _with(
        处罚决定日期="2018-02-01", 生效日期="2018-02-10", 网上公布日期="2018-02-20", 是否公开曝光="否"
    )
    assert file_import(kind="cases", path=write_csv("c.csv", [HEADERS, later]), year=2018).rows == 1
    assert str(Case.objects.get().decided_on) == "2018-02-01"


def test_the_same_file_can_be_imported_again_after_approval(approved_2017, write_csv):
    assert file_import(kind="cases", path=write_csv("c.csv", [HEADERS, C1]), year=2017).rows == 1


def test_approval_is_refused_when_an_item_became_unscored_while_pending(campaign, write_csv):
    from kaoping.campaigns.services import campaign_advance

    Campaign.objects.filter(pk=campaign.pk).update(state="pending")
    with pytest.raises(Refused, match="个条目未评，不能审定"):
        campaign_advance(campaign=campaign)
