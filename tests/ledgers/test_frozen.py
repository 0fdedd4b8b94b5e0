"""An approved year's facts never change through an import, while a record's other years stay editable."""

import pytest

from kaoping.assessments.workflow import campaign_create
from kaoping.campaigns.models import Campaign
from kaoping.errors import Refused, RowErrors
from kaoping.importing import file_import
from kaoping.ledgers.models import Case
from sheets import csv_file

C1 = {
    "案件编号": "C1",
    "单位代码": "430902",
    "违法类型": "土地",
    "发现方式": "动态巡查",
    "是否重大案件": "是",
    "立案日期": "2017-03-01",
    "是否公开立案": "是",
    "处罚程序": "一般",
    "是否公开曝光": "否",
}


@pytest.fixture
def approved_2017(campaign, tmp_path):
    campaign_create(year=2018)
    file_import(kind="cases", path=csv_file(tmp_path, "cases", [C1]), year=2017)
    Campaign.objects.filter(pk=campaign.pk).update(state="approved")


def _with(**changes):
    return {**C1, **changes}


def test_moving_a_record_out_of_an_approved_year_is_refused(approved_2017, tmp_path):
    with pytest.raises(RowErrors) as caught:
        file_import(
            kind="cases", path=csv_file(tmp_path, "cases", [_with(立案日期="2018-03-01")], "c.csv"), year=2018
        )
    assert caught.value.errors[0].startswith("第 2 行 [立案日期]: 该记录计入已审定的 2017 年度考评")
    assert str(Case.objects.get().filed_on) == "2017-03-01"


def test_a_new_record_dated_in_an_approved_year_is_refused(approved_2017, tmp_path):
    row = _with(案件编号="C2")
    with pytest.raises(RowErrors, match="第 2 行 \\[立案日期\\]: 该记录计入已审定的 2017 年度考评"):
        file_import(kind="cases", path=csv_file(tmp_path, "cases", [row], "c.csv"), year=2018)


def test_a_later_years_decision_on_an_approved_years_case_is_accepted(approved_2017, tmp_path):
    later = _with(
        处罚决定日期="2018-02-01", 生效日期="2018-02-10", 网上公布日期="2018-02-20", 是否公开曝光="否"
    )
    assert file_import(kind="cases", path=csv_file(tmp_path, "cases", [later], "c.csv"), year=2018).rows == 1
    assert str(Case.objects.get().decided_on) == "2018-02-01"


def test_the_same_file_can_be_imported_again_after_approval(approved_2017, tmp_path):
    assert file_import(kind="cases", path=csv_file(tmp_path, "cases", [C1], "c.csv"), year=2017).rows == 1


def test_approval_is_refused_when_an_item_became_unscored_while_pending(campaign, write_csv):
    from kaoping.assessments.workflow import campaign_advance

    Campaign.objects.filter(pk=campaign.pk).update(state="pending")
    with pytest.raises(Refused, match="个条目未评，不能审定"):
        campaign_advance(campaign=campaign)
