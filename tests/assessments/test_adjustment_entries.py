"""加分 and 扣分 entries (assessments/adjustments.py): recorded by the group with a basis and evidence,
audited, capped, and the unit's total, rank and grade move in the same write."""

import datetime
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest

from kaoping.assessments.adjustments import EvidenceUpload, adjustment_record, adjustment_remove
from kaoping.assessments.models import AdjustmentEntry, UnitResult
from kaoping.assessments.results import results_stored
from kaoping.assessments.workflow import campaign_advance, campaign_create
from kaoping.audit.models import AuditEvent
from kaoping.campaigns.models import State
from kaoping.errors import KaopingError, NotFound, Refused
from kaoping.org.models import Unit
from kaoping.org.services import user_create
from kaoping.rubrics.models import Rubric
from kaoping.rubrics.schema import DATA_DIR
from kaoping.scoring.outcome import outcome_to_json

SAMPLE_2017 = Path(__file__).resolve().parents[2] / "src" / "kaoping" / "demo" / "data" / "2017"
ZY, TJ, YJ = "430902", "430922", "430981"  # 资阳区, 桃江县, 沅江市
COMMENDATION = "湘国土资办函〔2017〕12号 通报表扬资阳区执法监察工作"


def standing(campaign, code: str) -> tuple[Decimal, int | None, str]:
    row = UnitResult.objects.get(campaign=campaign, unit__code=code)
    return row.total, row.rank, row.grade


def record(campaign, code=ZY, adjustment="J1", basis=COMMENDATION, date=datetime.date(2017, 6, 1), **kw):
    evidence = kw.pop("evidence", None) or EvidenceUpload(
        "表扬通报.pdf", 40, io.BytesIO(b"%PDF-1.4\n" + b"0" * 31)
    )
    return adjustment_record(
        campaign=campaign,
        unit=Unit.objects.get(code=code),
        adjustment_id=adjustment,
        date=date,
        basis=basis,
        evidence=evidence,
        actor=kw.pop("actor", None),
    )


def test_a_bonus_entry_raises_the_total_and_the_rank_in_the_same_write(bonus_year):
    assert standing(bonus_year, ZY) == (Decimal("94.98"), 3, "优胜")
    record(bonus_year)
    assert standing(bonus_year, ZY) == (Decimal("95.98"), 2, "优胜")  # past 沅江市 (95.94)
    assert standing(bonus_year, YJ)[1] == 3
    record(bonus_year, basis="益政办发〔2017〕30号 推广资阳区动态巡查经验", date=datetime.date(2017, 9, 1))
    assert standing(bonus_year, ZY)[0] == Decimal("96.98")
    record(bonus_year, basis="第三次表扬", date=datetime.date(2017, 11, 1))
    assert standing(bonus_year, ZY)[0] == Decimal("96.98")  # at most 2 in all

    unit = next(u for u in results_stored(bonus_year).units if u.code == ZY)
    counted = unit.adjustments["J1"]
    assert (counted.raw, counted.score, counted.capped) == (Decimal(3), Decimal(2), True)
    assert counted.statement == "3 项×1 分=3 分，超过上限，按 2 分计加分"
    assert [e.date for e in counted.entries] == ["2017-06-01", "2017-09-01", "2017-11-01"]
    assert (unit.items_total, unit.adjustments_net, unit.total) == (
        Decimal("94.98"),
        Decimal("2"),
        Decimal("96.98"),
    )
    audited = AuditEvent.objects.filter(action="adjustment_record").order_by("id")
    assert [(a.unit_code, a.item_id, a.new["basis"]) for a in audited][0] == (ZY, "J1", COMMENDATION)
    assert (
        audited.count() == 3 and audited[0].new["points"] == "1" and audited[0].new["file"] == "表扬通报.pdf"
    )


def test_the_results_json_carries_the_adjustments_only_where_the_rubric_declares_them(bonus_year):
    record(bonus_year)
    document = outcome_to_json(results_stored(bonus_year))
    zy = next(u for u in document["units"] if u["code"] == ZY)
    assert (zy["total"], zy["items_total"], zy["rank"]) == (95.98, 94.98, 2)
    assert zy["adjustments"] == {
        "J1": {
            "kind": "bonus",
            "score": 1.0,
            "capped": False,
            "entries": [{"date": "2017-06-01", "basis": COMMENDATION}],
        }
    }
    hs = next(u for u in document["units"] if u["code"] == "430903")
    assert hs["adjustments"]["J1"] == {"kind": "bonus", "score": 0.0, "capped": False, "entries": []}

    plain = campaign_create(year=2016)  # the 2017 rubric: no adjustments, the document as it always was
    unit = outcome_to_json(results_stored(plain))["units"][0]
    assert "adjustments" not in unit and "items_total" not in unit


@pytest.fixture
def deduction_year(loaded):
    """2017's sample data on a rubric with a 扣分项 K1 (−3 each, at most −6)."""
    from kaoping.importing import file_import

    source = (DATA_DIR / "yiyang-2018.toml").read_text(encoding="utf-8").replace(
        'id = "yiyang-2018"', 'id = "test-deductions"'
    ) + (
        '\n[[adjustments]]\nid = "K1"\nkind = "deduction"\nname = "挂牌督办"\n'
        'text = "违法案件被国土资源部挂牌督办的，每起扣3分，最多扣6分。"\npoints = 3\nmax = 6\n'
    )
    Rubric.objects.create(code="test-deductions", title="带扣分项的细则", source=source)
    campaign = campaign_create(year=2017, rubric_code="test-deductions")
    for kind in ("cases", "submissions", "tips", "patches", "events", "casefile-reviews", "review-scores"):
        file_import(kind=kind, path=SAMPLE_2017 / f"{kind}.csv", year=2017)
    return campaign


def test_a_deduction_takes_points_off_and_can_cost_the_grade(deduction_year):
    assert standing(deduction_year, TJ) == (Decimal("92.12"), 4, "优胜")
    record(deduction_year, code=TJ, adjustment="K1", basis="国土资源部挂牌督办 桃江县某采石场案")
    record(deduction_year, code=TJ, adjustment="K1", basis="国土资源部挂牌督办 桃江县某砖厂案")
    record(deduction_year, code=TJ, adjustment="K1", basis="国土资源部挂牌督办 桃江县第三案")
    assert standing(deduction_year, TJ) == (Decimal("86.12"), 5, "达标")  # −6 at most; below 90: no 优胜
    unit = next(u for u in results_stored(deduction_year).units if u.code == TJ)
    assert unit.adjustments["K1"].score == Decimal(-6) and unit.adjustments["J1"].score == 0
    assert unit.adjustments["K1"].statement == "3 项×3 分=9 分，超过上限，按 6 分计扣分"


def test_removing_an_entry_needs_a_reason_restores_the_total_and_deletes_the_file(
    bonus_year, django_capture_on_commit_callbacks
):
    entry = record(bonus_year)
    stored = entry.file.path
    with pytest.raises(KaopingError, match="删除加分、扣分记录必须写明原因"):
        adjustment_remove(entry=entry, reason="  ", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        adjustment_remove(entry=entry, reason="依据文件不属于本年度", actor=None)
    assert standing(bonus_year, ZY) == (Decimal("94.98"), 3, "优胜")
    assert not AdjustmentEntry.objects.exists()
    removed = AuditEvent.objects.get(action="adjustment_remove")
    assert (removed.reason, removed.old["basis"], removed.item_id) == (
        "依据文件不属于本年度",
        COMMENDATION,
        "J1",
    )
    assert not os.path.exists(stored)
    with pytest.raises(NotFound, match="该加分、扣分记录已被删除"):
        adjustment_remove(entry=entry, reason="再删一次", actor=None)


@pytest.mark.parametrize(
    ("role", "extra"),
    [
        ("filler", {"unit_code": ZY}),
        ("assessor", {"department_code": "zfjc"}),
        ("party", {}),
    ],
)
def test_only_the_group_records_and_removes_entries(bonus_year, role, extra):
    person = user_create(username=f"p-{role}", password="Kaoping-Test-2017!", role=role, **extra)
    with pytest.raises(Refused, match="^只有考评小组可以记录加分和扣分$"):
        record(bonus_year, actor=person)
    entry = record(
        bonus_year, actor=user_create(username="lead", password="Kaoping-Test-2017!", role="group")
    )
    with pytest.raises(Refused, match="^只有考评小组可以删除加分和扣分记录$"):
        adjustment_remove(entry=entry, reason="误录", actor=person)
    assert AdjustmentEntry.objects.count() == 1


def test_what_an_entry_needs(bonus_year):
    today = datetime.date.today()
    cases = [
        (
            {"date": datetime.date(2016, 12, 31)},
            "日期 2016-12-31 不合理：2017 年度的加分、扣分依据应在 2017-01-01 至今天",
        ),
        ({"date": today + datetime.timedelta(days=1)}, "不合理"),
        ({"basis": "   "}, "必须写明依据（如 湘国土资办函〔2018〕12号 通报表扬）"),
        ({"basis": "长" * 501}, "依据最多 500 字，现有 501 字"),
        ({"adjustment": "J9"}, "2017 年度细则中没有加减分项“J9”；可用：J1（加分：经验推广和表彰）"),
        (
            {"evidence": EvidenceUpload("表扬.exe", 10, io.BytesIO(b"MZ" + b"0" * 8))},
            "“表扬.exe”的文件类型不允许",
        ),
        (
            {"evidence": EvidenceUpload("表扬.pdf", 10, io.BytesIO(b"not a pdf!"))},
            "“表扬.pdf”的内容与扩展名 .pdf 不符，请上传原始文件",
        ),
    ]
    for change, message in cases:
        with pytest.raises(KaopingError) as raised:
            record(bonus_year, **change)
        assert message in str(raised.value), change
    with pytest.raises(KaopingError, match="每条加分、扣分记录都要附佐证材料"):
        adjustment_record(
            campaign=bonus_year,
            unit=Unit.objects.get(code=ZY),
            adjustment_id="J1",
            date=datetime.date(2017, 6, 1),
            basis=COMMENDATION,
            evidence=None,
            actor=None,
        )
    record(bonus_year)
    with pytest.raises(Refused, match="资阳区的加分项 J1“经验推广和表彰”已有同一依据的记录（2017-06-01，"):
        record(bonus_year, date=datetime.date(2017, 7, 1))
    assert AdjustmentEntry.objects.count() == 1 and standing(bonus_year, ZY)[0] == Decimal("95.98")


def test_a_rubric_without_adjustments_says_so(loaded):
    plain = campaign_create(year=2017)
    with pytest.raises(NotFound, match=r"^2017 年度的考评细则（yiyang-2017）没有加分项或扣分项$"):
        record(plain)


def test_an_approved_year_refuses_new_and_removed_entries(bonus_year):
    entry = record(bonus_year)
    approved = campaign_advance(campaign=bonus_year, to=State.APPROVED)
    with pytest.raises(Refused, match="2017 年度考评已审定，所有分数和台帐已冻结，不能再修改"):
        record(approved, basis="审定后的表扬")
    with pytest.raises(Refused, match="已冻结"):
        adjustment_remove(entry=entry, reason="审定后删除", actor=None)
    assert standing(approved, ZY)[0] == Decimal("95.98") and AdjustmentEntry.objects.count() == 1
