"""公示中 and 申诉: a unit sees its own sheet and the ranking while the year is on view, objects to an item
within the window; the item's department (or the group) answers 维持 or 改分; 待审定 waits for every answer.

The sample year: 资阳区 (430902) 2.6 self 1.00, final 0.50 (执法监察支队's item); 赫山区 4.1 final 1.00.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaoping.assessments.models import Objection, ObjectionFile, ReviewScore, UnitResult
from kaoping.assessments.objections import objection_answer, objection_file
from kaoping.assessments.workflow import campaign_advance
from kaoping.audit.models import AuditEvent
from kaoping.campaigns.models import Campaign, State
from kaoping.errors import Refused
from kaoping.inbox.models import Message
from kaoping.org.models import Unit

from .conftest import HS, PDF, ZY

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_view(year_review) -> Campaign:
    return campaign_advance(campaign=year_review, to=State.PUBLIC)


def _object(client, item_id="2.6", claimed="1.00", reason="节假日巡查记录齐全，见附件", files=None):
    data = {"claimed": claimed, "reason": reason, "year": "2017"}
    if files:
        data["files"] = files
    return client.post(reverse("objection_new", args=[ZY, item_id]), data, follow=True)


def _pdf(name="巡查记录.pdf"):
    upload = io.BytesIO(PDF)
    upload.name = name
    return upload


def _total(code=ZY) -> Decimal:
    return UnitResult.objects.get(unit__code=code).total


def test_the_year_goes_on_view_and_each_unit_sees_its_own_sheet_and_the_ranking(on_view, client_for):
    assert on_view.public_from == datetime.date.today()
    until = on_view.objection_until
    assert until is not None and until > on_view.public_from and until.weekday() < 5
    filler = client_for("filler")
    ranking = filler.get(reverse("results")).content.decode()
    assert "考评结果公示中，申诉截止" in ranking and "赫山区" in ranking and "安化县" in ranking
    assert f'href="{reverse("unit_result", args=[ZY])}"' in ranking
    assert f'href="{reverse("unit_result", args=[HS])}"' not in ranking  # another unit's sheet is not its own
    assert "导出 Excel 排名表" not in ranking
    sheet = filler.get(reverse("unit_result", args=[ZY])).content.decode()
    assert "对本条目提出申诉" in sheet and "节假日巡查记录缺失，扣0.5分" in sheet
    assert filler.get(reverse("unit_result", args=[HS])).status_code == 404
    assert f"公示中：申诉截止 {until:%Y年%m月%d日}" in filler.get(reverse("dashboard")).content.decode()
    assert Message.objects.filter(recipient__username="zy_filler", title="2017 年度考评结果公示中").exists()


def test_a_unit_objects_and_the_department_changes_the_score(on_view, client_for):
    before = _total()
    page = _object(client_for("filler"), files=[_pdf()]).content.decode()
    assert "已提交对条目 2.6 的申诉" in page
    objection = Objection.objects.get()
    assert (objection.claimed, objection.score_before, objection.decision) == (
        Decimal("1.00"),
        Decimal("0.50"),
        "",
    )
    assert [f.original_name for f in objection.files.all()] == ["巡查记录.pdf"]
    assert Message.objects.filter(
        recipient__username="zfjc_assessor", title__contains="对条目 2.6 提出申诉"
    ).exists()
    assert not Message.objects.filter(recipient__username="zcfg_assessor", title__contains="申诉").exists()

    # 政策法规科 does not own 2.6: it sees no such objection and cannot answer it.
    other = client_for("assessor_other")
    assert "本年度尚无申诉" in other.get(reverse("objections")).content.decode()
    refused = other.post(
        reverse("objection_reply", args=[objection.pk]),
        {"decision": "改分", "score": "1", "answer": "同意", "year": "2017"},
        follow=True,
    ).content.decode()
    assert "未能保存答复" in refused and Objection.objects.get().decision == ""

    assessor = client_for("assessor")
    table = assessor.get(reverse("objections")).content.decode()
    assert "保存答复" in table and "节假日巡查记录齐全，见附件" in table and "巡查记录.pdf" in table
    answered = assessor.post(
        reverse("objection_reply", args=[objection.pk]),
        {"decision": "改分", "score": "1.00", "answer": "经复核记录齐全，恢复满分", "year": "2017"},
        follow=True,
    ).content.decode()
    assert "已答复资阳区对条目 2.6 的申诉：改为 1.00 分" in answered
    assert ReviewScore.objects.get(unit__code=ZY, item_id="2.6").score == Decimal("1.00")
    assert _total() == before + Decimal("0.50")
    audit = AuditEvent.objects.filter(unit_code=ZY, item_id="2.6").order_by("id")
    assert [e.action for e in audit][-3:] == ["objection_file", "review_score", "objection_answer"]
    review_row = audit.get(action="review_score", actor_label="zfjc_assessor")
    assert (review_row.old["score"], review_row.new["score"]) == ("0.50", "1.00")

    # The unit is told, and its sheet, the differences table and the workbook mark the item.
    assert Message.objects.filter(
        recipient__username="zy_filler", title="条目 2.6 的申诉已答复：改为 1.00 分"
    )
    sheet = client_for("filler").get(reverse("unit_result", args=[ZY])).content.decode()
    assert "申诉改分" in sheet and "经复核记录齐全，恢复满分" in sheet and "（0.50 → 1.00）" in sheet
    differences = client_for("group").get(reverse("differences")).content.decode()
    assert "申诉改分 0.50 → 1.00" in differences
    workbook = load_workbook(io.BytesIO(client_for("group").get(reverse("ranking_workbook")).content))
    cells = [c.value for row in workbook["资阳区"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("申诉改分：0.5 → 1") for v in cells)


def test_approval_waits_for_every_answer_and_an_upheld_score_stands(on_view, client_for, people):
    _object(client_for("filler"))
    objection = Objection.objects.get()
    group = client_for("group")
    refused = group.post(
        reverse("campaign_move"), {"direction": "forward", "from": "public"}, follow=True
    ).content.decode()
    assert "还有 1 件申诉未答复，不能提交审定：资阳区 2.6" in refused
    assert Campaign.objects.get().state == State.PUBLIC
    before = _total()
    objection_answer(objection=objection, decision="维持", answer="记录缺国庆期间", actor=people["group"])
    assert _total() == before and Objection.objects.get().score_after == Decimal("0.50")
    moved = group.post(reverse("campaign_move"), {"direction": "forward", "from": "public"}, follow=True)
    assert "已进入“待审定”阶段" in moved.content.decode()
    with pytest.raises(Refused, match="只有考评结果公示期间可以提出申诉"):
        objection_file(
            campaign=Campaign.objects.get(),
            unit=Unit.objects.get(code=ZY),
            item=on_view.rubric.definition.item("2.2"),
            reason="x",
            claimed=Decimal(3),
            actor=people["filler"],
        )


def test_an_objection_after_the_window_is_refused_with_its_date(on_view, client_for):
    Campaign.objects.filter(pk=on_view.pk).update(public_from=datetime.date(2017, 12, 18))
    page = _object(client_for("filler")).content.decode()
    assert "申诉期已于 2017年12月25日 结束，不能再提出申诉" in page  # 5 working days after Monday the 18th
    assert not Objection.objects.exists()
    sheet = client_for("filler").get(reverse("unit_result", args=[ZY])).content.decode()
    assert "对本条目提出申诉" not in sheet and "申诉期已于 2017年12月25日 结束" in sheet


def test_bad_objections_are_refused_and_leave_nothing_behind(on_view, client_for, settings):
    filler = client_for("filler")
    assert "申诉分数应为 0–1.00 之间" in _object(filler, claimed="1.5").content.decode()
    assert "请写明申诉理由" in _object(filler, reason="  ").content.decode()
    assert "现得分已是 0.50" in _object(filler, claimed="0.5").content.decode()
    bad = io.BytesIO(b"MZ\x90\x00 not a pdf")
    bad.name = "证明.pdf"
    assert "内容与扩展名 .pdf 不符" in _object(filler, files=[bad]).content.decode()
    other = client_for("filler_other").post(
        reverse("objection_new", args=[ZY, "2.6"]), {"claimed": "1", "reason": "x", "year": "2017"}
    )
    assert other.status_code == 404  # another unit is not even named to it
    assert not Objection.objects.exists() and not ObjectionFile.objects.exists()
    stored = settings.MEDIA_ROOT / "objections"
    assert not stored.exists() or not [p for p in stored.rglob("*") if p.is_file()]
    assert "已提交" in _object(filler).content.decode()
    assert "每个条目只能申诉一次" in _object(filler).content.decode()
    assert Objection.objects.count() == 1


def test_the_objections_table_filters_and_exports(on_view, client_for, people):
    _object(client_for("filler"))
    hs = Unit.objects.get(code=HS)
    objection_file(
        campaign=on_view,
        unit=hs,
        item=on_view.rubric.definition.item("4.1"),
        reason="专项报告已报送",
        claimed=Decimal(2),
        actor=people["filler_other"],
    )
    upheld = Objection.objects.get(unit=hs)
    objection_answer(objection=upheld, decision="维持", answer="报送逾期", actor=people["assessor"])
    group = client_for("group")
    every = group.get(reverse("objections")).content.decode()
    assert "资阳区" in every and "赫山区" in every and "报送逾期" in every
    waiting = group.get(reverse("objections"), {"status": "open"}).content.decode()
    assert "资阳区" in waiting and "报送逾期" not in waiting
    by_unit = group.get(reverse("objections"), {"unit": "赫山"}).content.decode()
    assert "报送逾期" in by_unit and "节假日巡查记录齐全" not in by_unit
    export = load_workbook(io.BytesIO(group.get(reverse("objections"), {"format": "xlsx"}).content)).active
    rows = [[c.value for c in row] for row in export.iter_rows()]
    assert rows[0][:5] == ["单位代码", "单位", "条目", "申诉时得分", "申诉分数"]
    assert [(r[1], r[2], r[7]) for r in rows[1:]] == [("资阳区", "2.6", "未答复"), ("赫山区", "4.1", "维持")]
    own = client_for("filler").get(reverse("objections")).content.decode()
    assert "资阳区" in own and "报送逾期" not in own  # a unit sees its own objections only
    answered = client_for("filler_other").get(reverse("unit_result", args=[HS])).content.decode()
    assert "申诉维持" in answered and "报送逾期" in answered


def test_a_year_with_objections_does_not_go_back_and_typed_formulas_stay_text(on_view, client_for):
    _object(client_for("filler"), reason='=HYPERLINK("http://example.test","点此")')
    group = client_for("group")
    back = group.post(reverse("campaign_move"), {"direction": "back", "from": "public"}, follow=True)
    assert "已有 1 件申诉，不能退回“考评中”" in back.content.decode()
    assert Campaign.objects.get().state == State.PUBLIC
    export = load_workbook(io.BytesIO(group.get(reverse("objections"), {"format": "xlsx"}).content)).active
    cell = export.cell(row=2, column=6)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://example.test","点此")', "s")


def test_an_objection_answered_on_the_command_line_is_listed_with_who_answered(on_view, client_for):
    _object(client_for("filler"))
    objection_answer(objection=Objection.objects.get(), decision="维持", answer="记录不全", actor=None)
    table = client_for("group").get(reverse("objections"))
    assert table.status_code == 200 and "系统管理员（命令行）" in table.content.decode()
