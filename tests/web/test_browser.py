"""What a person does, in headless Chromium against a live server; each main page saved as a screenshot
under artifacts/screens/ for anyone to look at."""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from kaoping.assessments.models import ReviewScore, SelfAssessment, SelfScore
from kaoping.assessments.results import results_recompute
from kaoping.assessments.workflow import campaign_advance, campaign_create
from kaoping.campaigns.models import Campaign, State
from kaoping.importing import file_import
from kaoping.ledgers.models import Event

from .conftest import PASSWORD, PDF, PEOPLE, SAMPLE, YEAR, ZY
from .test_pages import score_every_unscored_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
SCREENS = Path(__file__).resolve().parents[2] / "artifacts" / "screens"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test installs it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def visit(browser, live_server, people):
    """visit(who) → a logged-in page (through the login form) in a fresh browser context."""
    contexts = []

    def open_as(who: str):
        context = browser.new_context(
            viewport={"width": 1440, "height": 900}, locale="zh-CN", reduced_motion="reduce"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        watch_csp(page)
        page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of submit, approve …
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("用户名").fill(PEOPLE[who]["username"])
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(live_server.url + "/")
        page.base = live_server.url
        return page

    yield open_as
    for context in contexts:
        context.close()


def watch_csp(page) -> None:
    """Collect what the Content-Security-Policy blocked, as Chromium reports it on the console."""
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )


def shot(page, name: str, full_page: bool = True) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)  # let the charts finish their first frame
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=full_page)
    assert not page.js_errors, page.js_errors
    assert not page.csp_violations, page.csp_violations


def nav(page, label: str) -> None:
    page.get_by_role("navigation", name="功能").get_by_role("link", name=label, exact=True).click()


def mark_page(page) -> None:
    page.evaluate("window.__notReloaded = true")


def not_reloaded(page) -> bool:
    return page.evaluate("window.__notReloaded === true")


def _import_own_self_scores(tmp_path, skip: set[str]) -> None:
    lines = (SAMPLE / "self-scores.csv").read_text(encoding="utf-8").splitlines()
    rows = [lines[0]] + [line for line in lines[1:] if line.startswith(ZY) and line.split(",")[1] not in skip]
    path = tmp_path / "self.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    file_import(kind="self-scores", path=path, year=YEAR)


def _figures(cards) -> dict[str, list[int]]:
    """The numbers on each counter card, by its label."""
    found = {}
    for card in cards.locator(".card").all():
        label = card.locator(".label").first.inner_text()
        found[label] = [int(n) for n in re.findall(r"\d+", card.locator(".figure").inner_text())]
    return found


def test_login_page(browser, live_server):
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN", reduced_motion="reduce")
    page.js_errors = []
    watch_csp(page)
    page.goto(live_server.url + reverse("login"))
    assert "益阳市国土资源执法监察目标管理考评系统" in page.content()
    shot(page, "01-login", full_page=False)
    page.close()


def test_filler_fills_and_submits(year_open, visit, tmp_path):
    _import_own_self_scores(tmp_path, skip={"1.2", "1.3"})
    page = visit("filler")
    shot(page, "02-filler-dashboard")
    nav(page, "自评")
    mark_page(page)
    submit = page.get_by_role("button", name="提交自评")
    assert submit.is_disabled() and page.locator("#submit-blocked").inner_text() == "还有 2 项未填"
    for item_id, score, note, left in (
        ("1.2", "1", "执法监察大队比照科室管理", "还有 1 项未填"),
        ("1.3", "1.5", "部分审批事项未参与会审", "全部填完"),
    ):
        row = page.locator(f"#self-{item_id.replace('.', '_')}")
        row.get_by_label(f"{item_id} 自评分").fill(score)
        row.get_by_label(f"{item_id} 自评说明").fill(note)
        row.get_by_role("button", name="保存").click()
        page.locator(f"#self-{item_id.replace('.', '_')} .row-message.ok").wait_for()
        assert left in page.locator("#self-progress").inner_text()  # the counters follow each save
    assert "35 / 35" in page.locator("#self-progress").inner_text()
    assert submit.is_enabled() and page.locator("#submit-blocked").count() == 0
    assert not_reloaded(page)
    assert SelfScore.objects.get(unit__code=ZY, item_id="1.3").score == 1.5
    # Evidence through the same row, still without a reload.
    evidence = tmp_path / "会审会签记录.pdf"
    evidence.write_bytes(PDF)
    page.locator("#file-1_3").set_input_files(str(evidence))
    page.locator("#self-1_3").get_by_role("button", name="上传").click()
    page.locator("#self-1_3").get_by_role("link", name="会审会签记录.pdf").wait_for()
    assert not_reloaded(page)
    # A bad score is refused in the row.
    page.locator("#self-1_2").get_by_label("1.2 自评分").fill("5")
    page.locator("#self-1_2").get_by_role("button", name="保存").click()
    page.locator("#self-1_2 .row-message.error").wait_for()
    assert "超出 0–1.00" in page.locator("#self-1_2").inner_text()
    shot(page, "03-self-assessment")
    page.locator("#self-1_2").get_by_label("1.2 自评分").fill("1")
    page.locator("#self-1_2").get_by_role("button", name="保存").click()
    page.locator("#self-1_2 .row-message.ok").wait_for()
    page.get_by_role("button", name="提交自评").click()
    page.get_by_text("资阳区的自评已提交").first.wait_for()
    assert SelfAssessment.objects.get(unit__code=ZY).submitted_at is not None
    assert page.get_by_role("button", name="提交自评").count() == 0
    assert "的自评已于" in page.locator("#self-submit").inner_text()
    shot(page, "04-self-submitted", full_page=False)
    nav(page, "工作台")
    steps = page.get_by_role("heading", name="下一步").locator("..").inner_text()
    assert "全部填完后提交" not in steps and "提交，不能再修改" in steps
    shot(page, "04b-filler-dashboard-submitted", full_page=False)


def test_conflict_between_two_browsers(year_open, visit):
    first, second = visit("filler"), visit("filler")
    for page in (first, second):
        page.goto(page.base + reverse("self_page"))
    first.locator("#self-1_2").get_by_label("1.2 自评分").fill("1")
    first.locator("#self-1_2").get_by_label("1.2 自评说明").fill("已比照科室管理")
    first.locator("#self-1_2").get_by_role("button", name="保存").click()
    first.locator("#self-1_2 .row-message.ok").wait_for()
    second.locator("#self-1_2").get_by_label("1.2 自评分").fill("0.5")
    second.locator("#self-1_2").get_by_role("button", name="保存").click()
    conflict = second.locator("#self-1_2 .conflict")
    conflict.wait_for()
    text = conflict.inner_text()
    assert "1.00（已比照科室管理）" in text and "0.5" in text
    second.locator("#self-1_2").scroll_into_view_if_needed()
    shot(second, "05-self-conflict", full_page=False)
    conflict.get_by_role("button", name="采用最新值").click()
    assert second.locator("#self-1_2").get_by_label("1.2 自评分").input_value() == "1.00"
    assert SelfScore.objects.get(unit__code=ZY, item_id="1.2").note == "已比照科室管理"


def test_assessor_scores_inline(year_review, visit):
    ReviewScore.objects.filter(unit__code=ZY, item_id="1.5").delete()  # 1.5 is 未评 until scored here
    results_recompute(year_review)  # deleted behind the services' back
    page = visit("assessor")
    shot(page, "06-assessor-dashboard")
    page.goto(page.base + reverse("review_queue") + f"?unit={ZY}")
    mark_page(page)
    counters = page.locator("#review-progress")
    before = _figures(counters)
    row = page.locator(f"#review-{ZY}-1_5")
    row.get_by_label("资阳区 1.5 考评分").fill("1.5")
    row.get_by_label("资阳区 1.5 扣分原因").fill("微信举报平台尚未建成")
    row.get_by_role("button", name="保存").click()
    page.locator(f"#review-{ZY}-1_5 .row-message.ok").wait_for()
    after = _figures(counters)
    assert after["已有得分 / 总数"][0] == before["已有得分 / 总数"][0] + 1
    assert after["已录考评分"] == [before["已录考评分"][0] + 1]
    assert after["未评"] == [before["未评"][0] - 1]
    assert not_reloaded(page)
    assert "−0.50" in page.locator(f"#review-{ZY}-1_5").inner_text()
    assert ReviewScore.objects.get(unit__code=ZY, item_id="1.5").note == "微信举报平台尚未建成"
    row = page.locator(f"#review-{ZY}-1_6")
    row.get_by_label("资阳区 1.6 考评分").fill("1")
    row.get_by_label("资阳区 1.6 扣分原因").fill("")
    row.get_by_role("button", name="保存").click()
    page.locator(f"#review-{ZY}-1_6 .row-message.error").wait_for()  # below the maximum without a reason
    assert "必须写明扣分原因" in page.locator(f"#review-{ZY}-1_6").inner_text()
    shot(page, "07-review-queue")


def test_group_moves_the_campaign_on(year_open, visit):
    page = visit("group")
    page.get_by_role("button", name="推进到“考评中”").click()
    page.get_by_text("已进入“考评中”阶段").wait_for()
    page.get_by_role("button", name="推进到“公示中”").click()
    refusal = page.locator(".message-error")
    refusal.wait_for()
    assert "个条目未评，不能公示" in refusal.inner_text()
    assert Campaign.objects.get(year=YEAR).state == State.REVIEW
    shot(page, "08-group-refused", full_page=False)
    file_import(kind="self-scores", path=SAMPLE / "self-scores.csv", year=YEAR)
    file_import(kind="review-scores", path=SAMPLE / "review-scores.csv", year=YEAR)
    page.reload()
    page.get_by_role("button", name="推进到“公示中”").click()
    page.get_by_text("已进入“公示中”阶段").wait_for()
    with page.expect_event("dialog") as shown:  # the window has not ended: the confirmation says so
        page.get_by_role("button", name="推进到“待审定”").click()
    assert "尚未期满" in shown.value.message
    page.get_by_text("已进入“待审定”阶段").wait_for()
    assert Campaign.objects.get(year=YEAR).state == State.PENDING_APPROVAL
    shot(page, "09-group-dashboard")
    nav(page, "约谈问责记录")
    shot(page, "10-events")
    page.goto(page.base + reverse("differences"))
    shot(page, "11-differences")
    nav(page, "台帐与报送")
    assert page.locator("#ledger-summary-table tbody tr").count() == 8
    shot(page, "22-group-ledgers")


def test_group_is_told_who_has_not_submitted_before_closing_self_assessment(year_open, visit, tmp_path):
    _import_own_self_scores(tmp_path, skip=set())
    page = visit("filler")
    nav(page, "自评")
    page.get_by_role("button", name="提交自评").click()
    page.get_by_text("资阳区的自评已提交").wait_for()
    page = visit("group")
    caution = page.locator(".move-caution")
    assert "尚有 7 个单位未提交自评：赫山区、" in caution.inner_text()
    assert "未到（还有 30 天）" in caution.inner_text()
    shot(page, "20-group-closing-self-assessment", full_page=False)
    with page.expect_event("dialog") as shown:
        page.get_by_role("button", name="推进到“考评中”").click()
    message = shown.value.message
    assert message.startswith("确认将 2017 年度考评推进到“考评中”？")
    assert "尚有 7 个单位未提交自评：赫山区、" in message and "资阳区" not in message
    assert "自评截止日期" in message and "未到（还有 30 天）" in message
    page.get_by_text("已进入“考评中”阶段").wait_for()  # confirmed: the group decides
    assert Campaign.objects.get(year=YEAR).state == State.REVIEW


def test_group_removes_a_wrong_event(year_review, visit):
    page = visit("group")
    nav(page, "约谈问责记录")
    date = page.get_by_label("日期")
    assert (date.get_attribute("min"), date.get_attribute("max")) == ("2017-01-01", "2017-12-31")
    page.get_by_label("单位").select_option(label="资阳区")
    page.get_by_label("类型").select_option("问责")
    date.fill("2017-09-01")
    page.get_by_label("原因", exact=True).fill("违法占地问题整改不力")
    page.get_by_role("button", name="记录").click()
    page.get_by_text("已记录：资阳区 2017-09-01 问责").wait_for()
    row = page.locator("#event-table tr", has_text="违法占地问题整改不力")
    row.get_by_text("删除", exact=True).click()
    row.get_by_label("删除资阳区 2017-09-01 问责的原因").fill("单位录错")
    shot(page, "23-events-delete", full_page=False)
    with page.expect_event("dialog") as shown:
        row.get_by_role("button", name="删除记录").click()
    assert "确认删除 资阳区 2017-09-01 的问责记录" in shown.value.message
    page.get_by_text("已删除：资阳区 2017-09-01 问责").wait_for()
    assert not Event.objects.filter(note="违法占地问题整改不力").exists()


def test_party_approves_and_publishes(year_review, visit):
    campaign_advance(campaign=year_review, to=State.PENDING_APPROVAL)
    page = visit("party")
    nav(page, "审定")
    shot(page, "12-approval")
    page.get_by_role("button", name="审定").click()
    page.get_by_text("已进入“已审定”阶段").wait_for()
    assert Campaign.objects.get(year=YEAR).is_frozen
    page.get_by_role("button", name="通报").click()
    page.get_by_text("已进入“已通报”阶段").wait_for()
    nav(page, "考评结果")
    page.locator("[data-chart=ranking] svg").wait_for()
    shot(page, "13-results")
    page.get_by_role("link", name="资阳区").first.click()
    page.locator("[data-chart=radar] svg").wait_for()
    shot(page, "14-unit-sheet")
    page.emulate_media(media="print")
    shot(page, "15-unit-sheet-print")


def test_filler_sees_published_results_and_ledgers(year_published, visit):
    page = visit("filler")
    nav(page, "考评结果")
    page.wait_for_url(re.compile(f"/results/{ZY}/$"))
    assert "赫山区" not in page.content()
    shot(page, "16-filler-results")
    nav(page, "台帐与报送")
    shot(page, "17-ledgers")


def test_year_over_year_lines_are_told_apart(year_published, visit):
    later = campaign_advance(campaign=campaign_create(year=YEAR + 1), to=State.REVIEW)
    file_import(kind="review-scores", path=SAMPLE / "review-scores.csv", year=YEAR + 1)
    score_every_unscored_item(later)
    campaign_advance(campaign=later, to=State.APPROVED)
    page = visit("party")
    page.goto(page.base + reverse("year_choose") + f"?year={YEAR}&next=/results/")
    page.locator("[data-chart=years] svg").wait_for()
    series = page.evaluate(
        "echarts.getInstanceByDom(document.querySelector('[data-chart=years]')).getOption().series"
        ".map(s => [s.name, s.color, s.symbol])"
    )
    assert len(series) == 8
    assert len({colour for _, colour, _ in series}) == 8 and len({symbol for *_, symbol in series}) == 8
    page.locator("#history-table").scroll_into_view_if_needed()
    shot(page, "21-history", full_page=True)


def test_group_follows_up_rectification(year_published, visit):
    page = visit("group")
    nav(page, "整改跟踪")
    page.get_by_label("整改措施").first.fill("完善动态巡查制度，落实网格化巡查责任")
    page.get_by_role("button", name="保存整改情况").first.click()
    page.get_by_text("的整改情况").first.wait_for()
    shot(page, "18-followup")


def test_filler_of_another_unit_is_refused(year_review, visit):
    page = visit("filler_other")
    response = page.goto(page.base + reverse("self_unit", args=[ZY]))
    assert response.status == 404
    assert "资阳区" not in page.content()
    shot(page, "19-other-unit-refused", full_page=False)
    response = page.goto(page.base + reverse("unit_result", args=[ZY]))
    assert response.status == 404 and "资阳区" not in page.content()
    response = page.goto(page.base + reverse("review_queue"))
    assert response.status == 403
    page.goto(page.base + reverse("self_page"))
    assert "赫山区" in page.content() and "资阳区" not in page.content()
    assert page.get_by_role("heading", name="2017 年度自评 · 赫山区").is_visible()


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def test_the_main_pages_work_under_the_content_security_policy(year_published, visit, tmp_path):
    page = visit("group")
    response = page.goto(page.base + reverse("dashboard"))
    assert response.headers["content-security-policy"] == CSP
    page.locator("[data-chart=progress] svg").wait_for()  # ECharts drew
    page.locator("[data-chart=rings] svg").wait_for()
    nav(page, "考评结果")
    page.locator("[data-chart=ranking] svg").wait_for()
    page.get_by_role("link", name="资阳区").first.click()
    page.locator("[data-chart=radar] svg").wait_for()
    # Swagger UI (django-ninja's vendored files) under the same policy.
    page.goto(page.base + "/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    page.locator(".opblock").first.wait_for()
    assert not page.js_errors and not page.csp_violations, page.js_errors + page.csp_violations
    # A violation would be seen: an inline script injected into the page is blocked and reported.
    page.goto(page.base + reverse("dashboard"))
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
      document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran === undefined") and page.csp_violations
    page.csp_violations.clear()


def test_inline_saves_work_under_the_content_security_policy(year_open, visit):
    page = visit("filler")
    nav(page, "自评")
    mark_page(page)
    row = page.locator("#self-1_2")
    row.get_by_label("1.2 自评分").fill("1")
    row.get_by_label("1.2 自评说明").fill("执法监察大队比照科室管理")
    row.get_by_role("button", name="保存").click()
    page.locator("#self-1_2 .row-message.ok").wait_for()
    assert not_reloaded(page)
    assert SelfScore.objects.get(unit__code=ZY, item_id="1.2").score == 1
    nav(page, "台帐与报送")
    assert "文件不超过 50 MB" in page.locator("form").filter(has=page.locator("#file")).inner_text()
    assert not page.js_errors and not page.csp_violations, page.js_errors + page.csp_violations


def test_results_on_view_an_objection_and_its_answer(year_review, visit, tmp_path):
    """公示中: the group opens it, 资阳区 objects to 2.6 with a file, 执法监察支队 changes the score, the
    unit reads the answer; then the group submits for approval."""
    group = visit("group")
    with group.expect_event("dialog") as shown:
        group.get_by_role("button", name="推进到“公示中”").click()
    assert "公示中" in shown.value.message
    group.get_by_text("已进入“公示中”阶段").wait_for()
    assert "公示中：申诉截止" in group.locator(".stepbar").inner_text()

    filler = visit("filler")
    nav(filler, "考评结果")
    filler.locator("[data-chart=ranking] svg").wait_for()
    assert "安化县" in filler.content() and "导出 Excel 排名表" not in filler.content()
    shot(filler, "40-filler-ranking-on-view")
    filler.get_by_role("link", name="本单位评分表（可提出申诉）").click()
    row = filler.locator("#item-2_6")
    row.get_by_text("对本条目提出申诉").click()
    row.get_by_label("申诉分数（0–1.00）").fill("1")
    row.get_by_label("申诉理由").fill("国庆、春节期间的节假日巡查记录齐全，见附件")
    evidence = tmp_path / "节假日巡查记录.pdf"
    evidence.write_bytes(PDF)
    row.get_by_label("佐证材料（可多选，每个不超过 20 MB）").set_input_files(str(evidence))
    shot(filler, "41-filler-objection-form")
    row.get_by_role("button", name="提交申诉").click()
    filler.get_by_text("已提交对条目 2.6 的申诉").wait_for()
    assert "申诉待答复" in filler.locator("#item-2_6").inner_text()

    assessor = visit("assessor")
    nav(assessor, "申诉")
    answer = assessor.locator("#objection-430902-2_6")
    answer.get_by_label("改分为").check()
    answer.get_by_label("新的得分").fill("1.00")
    answer.get_by_label("答复理由").fill("经复核，节假日巡查记录齐全，恢复满分")
    shot(assessor, "42-assessor-answers-objection")
    answer.get_by_role("button", name="保存答复").click()
    assessor.get_by_text("已答复资阳区对条目 2.6 的申诉：改为 1.00 分").wait_for()
    assert ReviewScore.objects.get(unit__code=ZY, item_id="2.6").score == 1

    filler.reload()
    assert "申诉改分" in filler.locator("#item-2_6").inner_text()
    shot(filler, "43-filler-sheet-after-answer")
    group.reload()
    with group.expect_event("dialog"):
        group.get_by_role("button", name="推进到“待审定”").click()
    group.get_by_text("已进入“待审定”阶段").wait_for()
    nav(group, "申诉")
    shot(group, "44-objections-table")
