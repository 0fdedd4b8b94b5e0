"""`kaoping demo`: the 2017 year from the shipped sample ledgers, end to end, plus an open 2018 year.

2017 is imported, scored, approved and published, and its outputs are written; 2018 is opened for
self-assessment with its shipped ledgers (data/2018), so every demo account has something to do in the browser.
Running it again is harmless: a published year is left as it is, and its outputs are written again.
"""

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from kaoping.assessments.adjustments import EvidenceUpload, adjustment_record
from kaoping.assessments.models import AdjustmentEntry, Objection
from kaoping.assessments.objections import Upload, objection_answer, objection_file
from kaoping.assessments.results import results_stored
from kaoping.assessments.services import self_assessment_submit
from kaoping.assessments.workflow import campaign_advance, campaign_create
from kaoping.campaigns.models import Campaign, State
from kaoping.documents import notice_write, ranking_workbook_write
from kaoping.importing import file_import
from kaoping.org.models import Unit
from kaoping.scoring.outcome import outcome_to_json
from kaoping.system import system_init

DATA = Path(__file__).parent / "data"
DEMO_YEAR, OPEN_YEAR = 2017, 2018
OPEN_RUBRIC = "yiyang-2018"  # 2017's rubric with one 加分项 (J1), made by `kaoping rubric new`
# The open year's one 加分 entry: 资阳区's experience adopted by the province (evidence: a one-page PDF).
DEMO_BONUS = (
    "430902",
    "J1",
    datetime.date(OPEN_YEAR, 9, 10),
    "湘国土资办函〔2018〕56号 推广资阳区动态巡查经验（演示）",
)
LEDGERS = ("units", "cases", "submissions", "tips", "patches", "events", "casefile-reviews")


def _import_all(folder: Path, year: int, kinds: tuple[str, ...]) -> list[str]:
    return [f"  {year} {file_import(kind=kind, path=folder / f'{kind}.csv', year=year)}" for kind in kinds]


def _demo_year(lines: list[str]) -> Campaign:
    campaign = Campaign.objects.filter(year=DEMO_YEAR).first()
    if campaign is not None and campaign.is_frozen:
        lines.append(f"{DEMO_YEAR} 年度考评已是“{campaign.get_state_display()}”，保持不变")
        return campaign
    if campaign is None:
        campaign = campaign_create(year=DEMO_YEAR)
    # The notice's workflow: the units assess themselves and submit, then the group reviews.
    folder = DATA / str(DEMO_YEAR)
    if campaign.state == State.DRAFT:
        campaign = campaign_advance(campaign=campaign)
    lines += _import_all(folder, DEMO_YEAR, (*LEDGERS, "self-scores"))
    if campaign.state == State.SELF_ASSESSMENT:
        for unit in Unit.objects.order_by("code"):
            self_assessment_submit(campaign=campaign, unit=unit, actor=None)
        campaign = campaign_advance(campaign=campaign)
    lines += _import_all(folder, DEMO_YEAR, ("review-scores",))
    if campaign.state == State.REVIEW:
        campaign = campaign_advance(campaign=campaign)  # 公示中
    if campaign.state == State.PUBLIC:
        lines += _demo_objections(campaign)
    campaign = campaign_advance(campaign=campaign, to=State.PUBLISHED)
    # The demo's notice carries the date the real one would have had.
    Campaign.objects.filter(pk=campaign.pk).update(
        public_from=datetime.date(DEMO_YEAR, 12, 18),
        notice_number=f"益国土资通〔{DEMO_YEAR}〕41号",
        notice_date=datetime.date(DEMO_YEAR, 12, 28),
        approved_at=datetime.datetime(DEMO_YEAR, 12, 26, 10, tzinfo=timezone.get_current_timezone()),
        published_at=datetime.datetime(DEMO_YEAR, 12, 28, 10, tzinfo=timezone.get_current_timezone()),
    )
    lines.append(f"{DEMO_YEAR} 年度考评已审定并通报")
    campaign.refresh_from_db()
    return campaign


# The 公示's two objections, by the demo accounts: (unit, item, claimed, reason, evidence or None),
# answered by 执法监察支队 (decision, new score, reason); filed and answered on these dates.
DEMO_OBJECTIONS = (
    (
        (
            "430902",
            "2.6",
            "1.00",
            "国庆、春节期间的节假日巡查记录齐全，已补充扫描件，请复核。",
            "节假日巡查记录.pdf",
        ),
        ("改分", "1.00", "经复核，节假日巡查记录齐全，原扣分依据不足，恢复满分。"),
        (datetime.date(DEMO_YEAR, 12, 19), datetime.date(DEMO_YEAR, 12, 21)),
    ),
    (
        ("430903", "4.1", "2.00", "年度案件自查清理专项报告已于 12 月 5 日报送支队。", None),
        ("维持", None, "经核查，专项报告报送时间晚于规定的 11 月 30 日，维持原评分。"),
        (datetime.date(DEMO_YEAR, 12, 20), datetime.date(DEMO_YEAR, 12, 21)),
    ),
)


def _demo_objections(campaign: Campaign) -> list[str]:
    """Two units object while the year is on view; 执法监察支队 answers one 改分, one 维持."""
    users = get_user_model().objects
    assessor = users.get(username="zfjc-kp")
    fillers = {
        u.profile.unit.code: u for u in users.filter(profile__role="filler").select_related("profile__unit")
    }
    rubric = campaign.rubric.definition
    lines = []
    zone = timezone.get_current_timezone()
    for (code, item_id, claimed, reason, evidence), (decision, score, answer), (
        filed,
        answered,
    ) in DEMO_OBJECTIONS:
        unit, item = Unit.objects.get(code=code), rubric.item_map[item_id]
        if Objection.objects.filter(campaign=campaign, unit=unit, item_id=item_id).exists():
            continue
        files = []
        if evidence:
            content = demo_pdf(f"Demo evidence for the objection of {code} on item {item_id}")
            files.append(Upload(evidence, len(content), io.BytesIO(content)))
        objection = objection_file(
            campaign=campaign,
            unit=unit,
            item=item,
            reason=reason,
            claimed=Decimal(claimed),
            files=files,
            actor=fillers.get(code),
        )
        objection = objection_answer(
            objection=objection,
            decision=decision,
            answer=answer,
            new_score=Decimal(score) if score else None,
            actor=assessor,
        )
        Objection.objects.filter(pk=objection.pk).update(
            filed_at=datetime.datetime.combine(filed, datetime.time(9), zone),
            answered_at=datetime.datetime.combine(answered, datetime.time(16), zone),
        )
        lines.append(f"  {DEMO_YEAR} 申诉：{unit.name} {item_id} 申诉 {claimed} 分，答复“{decision}”")
    return lines


def _open_year(lines: list[str]) -> None:
    campaign = Campaign.objects.filter(year=OPEN_YEAR).first()
    if campaign is not None and campaign.state != State.DRAFT:
        return
    if campaign is None:  # opened first: an import names a year that exists
        campaign = campaign_create(
            year=OPEN_YEAR,
            rubric_code=OPEN_RUBRIC,
            self_deadline=timezone.localdate() + datetime.timedelta(days=30),
        )
    # The units are 2017's; the open year ships its ledgers only (a second run imports them again).
    lines += _import_all(DATA / str(OPEN_YEAR), OPEN_YEAR, tuple(k for k in LEDGERS if k != "units"))
    lines += _demo_bonus(campaign)
    campaign_advance(campaign=campaign)
    lines.append(f"{OPEN_YEAR} 年度考评已开启，处于“自评中”，供演示账号在网页中操作")


def _demo_bonus(campaign: Campaign) -> list[str]:
    code, adjustment_id, date, basis = DEMO_BONUS
    if campaign.rubric.definition.adjustment(adjustment_id) is None:
        return []  # a 2018 year opened on another rubric by an earlier run
    if AdjustmentEntry.objects.filter(campaign=campaign, adjustment_id=adjustment_id).exists():
        return []
    content = demo_pdf(f"Demo evidence for {code} {adjustment_id}: commendation of {date:%Y-%m-%d}")
    entry = adjustment_record(
        campaign=campaign,
        unit=Unit.objects.get(code=code),
        adjustment_id=adjustment_id,
        date=date,
        basis=basis,
        evidence=EvidenceUpload("推广通知.pdf", len(content), io.BytesIO(content)),
        actor=None,
    )
    return [f"  {OPEN_YEAR} 加分记录：{entry.unit.name} {adjustment_id} {basis}"]


def demo_pdf(text: str) -> bytes:
    """A one-page PDF with one line of (ASCII) text, with a correct cross-reference table."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def demo_run(output: Path) -> list[str]:
    lines = system_init()
    accounts = _accounts()  # first: the years' events then reach the demo accounts' inboxes (消息)
    campaign = _demo_year(lines)
    _open_year(lines)
    outcome = results_stored(campaign)
    output.mkdir(parents=True, exist_ok=True)
    (output / "results-2017.json").write_text(
        json.dumps(outcome_to_json(outcome), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    ranking_workbook_write(campaign=campaign, path=output / "ranking-2017.xlsx")
    notice_write(campaign=campaign, path=output / "notice-2017.docx")
    grades = {grade: [u.name for u in outcome.by_grade(grade)] for grade in ("优胜", "达标", "不合格")}
    lines.append(
        "2017 年度结果：" + "；".join(f"{g} {len(n)} 个（{'、'.join(n)}）" for g, n in grades.items())
    )
    lines.append(f"输出文件在 {output.resolve()}：")
    lines += [f"  {name}" for name in ("results-2017.json", "ranking-2017.xlsx", "notice-2017.docx")]
    lines += accounts
    lines.append("启动网页：kaoping serve，然后在浏览器打开 http://127.0.0.1:8000/")
    return lines


def _accounts() -> list[str]:
    from kaoping.org.demo_accounts import demo_accounts_create

    rows = demo_accounts_create()
    return ["演示账号（仅供演示）："] + [
        f"  {role}\t{user} / {password}\t{scope}" for user, password, role, scope in rows
    ]
