"""The access policy as a matrix: every Action × every role × every campaign state (× the scope's own or
other unit, the import kind, the self-assessment situation, the target state where the action has one).

Pure: no database. The expected answers are written below as the product's rules, one small table or
function per action, independently of the policy's code; every cell is its own test id. Refusals must be
a Chinese sentence, and a few key cells are pinned to their exact text.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import replace

import pytest

from kaoping.org.models import Role
from kaoping.org.policy import Action, Actor, CampaignFacts, Scope, SelfSituation, policy_refusal
from kaoping.scoring.enums import CampaignState as S

YEAR = 2017
ZY_ID, HS_ID = 1, 2  # 资阳区: the unit every scope is about; 赫山区: "another unit"
ITEM, OWNER = "1.2", "rsjy"  # item 1.2 is reviewed by 人事教育科 only

ACTORS = {
    "filler_own": Actor(Role.FILLER, unit_id=ZY_ID, unit_name="资阳区", username="zy"),
    "filler_other": Actor(Role.FILLER, unit_id=HS_ID, unit_name="赫山区", username="hs"),
    "assessor_own": Actor(Role.ASSESSOR, department_code=OWNER, department_name="人事教育科", username="a1"),
    "assessor_other": Actor(
        Role.ASSESSOR, department_code="zfjc", department_name="执法监察支队", username="a2"
    ),
    "group": Actor(Role.GROUP, username="leader"),
    "party": Actor(Role.PARTY, username="party"),
    "admin": Actor(Role.ADMIN, username="admin"),
    "no_role": Actor(None, username="nobody"),
}
ROLES = tuple(ACTORS)
CITY = {"assessor_own", "assessor_other", "group", "party", "admin"}
OVERSEERS = {"group", "party", "admin"}
FILLERS = {"filler_own", "filler_other"}
WITH_A_ROLE = set(ROLES) - {"no_role"}

STATES = list(S)
OPEN = {S.DRAFT, S.SELF_ASSESSMENT, S.REVIEW, S.PUBLIC, S.PENDING_APPROVAL}
FROZEN = {S.APPROVED, S.PUBLISHED}
assert set(STATES) == OPEN | FROZEN

DEADLINE = datetime.date(YEAR, 3, 31)
BEFORE, AFTER = datetime.date(YEAR, 3, 1), datetime.date(YEAR, 4, 15)


def facts(state: S) -> CampaignFacts:
    return CampaignFacts(year=YEAR, state=state, self_deadline=DEADLINE)


def unit_scope(state: S, **more) -> Scope:
    """A scope about 资阳区 and its item 1.2, in a campaign in `state`, before the self deadline."""
    values = dict(
        campaign=facts(state),
        unit_id=ZY_ID,
        unit_name="资阳区",
        item_id=ITEM,
        item_departments=(OWNER,),
        today=BEFORE,
    )
    return Scope(**{**values, **more})


# ── The rules, as the product intends them ──
# Each rule: (role, state, variant) → allowed?  `variant` is the extra dimension of the action (an import
# kind, a situation, a target state), "" where there is none.
Rule = Callable[[str, S, str], bool]


def roles(allowed: set[str], *, open_only: bool = False) -> Rule:
    return lambda role, state, _: role in allowed and (not open_only or state in OPEN)


# Import kinds (formats.md): who may upload each; a 填报员 its own unit's rows only; nothing into a frozen year.
IMPORTERS = {
    "units": {"admin"},
    "cases": FILLERS | {"group", "admin"},
    "submissions": FILLERS | {"group", "admin"},
    "tips": FILLERS | {"group", "admin"},
    "patches": FILLERS | {"group", "admin"},
    "events": FILLERS | {"group", "admin"},
    "casefile-reviews": {"group", "admin"},  # a unit never scores its own case files
    "self-scores": FILLERS | {"group", "admin"},  # the group only from a sheet: see SELF_SCORE
    "review-scores": {"group", "admin"},
}
KINDS = tuple(IMPORTERS)
GROUP_EVENTS = ("约谈", "问责", "数据不实")
EVENT_KINDS = {"业务培训": "training", "约谈": "summoned", "问责": "accountability", "数据不实": "false-data"}


def import_rule(role: str, state: S, kind: str) -> bool:
    """Scope: the kind, a row of 资阳区, the year's campaign."""
    return role in IMPORTERS[kind] and role != "filler_other" and state in OPEN


def event_kind_rule(role: str, state: S, event_kind: str) -> bool:
    """An events row of 资阳区 of this 类型: a 填报员 records its ordinary events, never the group's findings."""
    if event_kind in GROUP_EVENTS and role in FILLERS:
        return False
    return import_rule(role, state, "events")


# Self scores: situations of 资阳区's self-assessment of item 1.2.
SITUATIONS = {
    "fresh": {},
    "submitted": dict(situation=SelfSituation(submitted=True)),
    "past_deadline": dict(today=AFTER),
    "reopened": dict(today=AFTER, situation=SelfSituation(reopened_until=AFTER)),
    "reopen_lapsed": dict(today=AFTER, situation=SelfSituation(reopened_until=AFTER - datetime.timedelta(1))),
    "returned": dict(today=AFTER, situation=SelfSituation(returned=True, submitted=True)),
    "from_sheet": dict(from_sheet=True),
}


def self_score_rule(role: str, state: S, situation: str) -> bool:
    if state in FROZEN:
        return False
    if role == "admin":
        return True  # the command line, in any open state
    if role == "group":
        return situation == "from_sheet"  # a sheet collected on paper, in any open state
    if role != "filler_own":
        return False
    if situation == "returned":
        return True  # a returned item is answered whatever the state
    return state == S.SELF_ASSESSMENT and situation in ("fresh", "reopened", "from_sheet")


def self_submit_rule(role: str, state: S, situation: str) -> bool:
    if role not in ("filler_own", "admin") or state != S.SELF_ASSESSMENT:
        return False
    return role == "admin" or situation in ("fresh", "reopened")


def review_score_rule(role: str, state: S, _: str) -> bool:
    if state in FROZEN:
        return False
    if role == "admin":
        return True  # the command line, in any open state
    return role in ("assessor_own", "group") and state == S.REVIEW


def item_return_rule(role: str, state: S, _: str) -> bool:
    return role in ("assessor_own", "group", "admin") and state == S.REVIEW


def published(state: S) -> bool:
    return state == S.PUBLISHED


def ranking_rule(role: str, state: S, _: str) -> bool:
    return role in OVERSEERS or (role.startswith("assessor") and published(state))


# From the 公示 on, a unit sees its own results item by item.
SHOWN_TO_UNITS = {S.PUBLIC, S.PENDING_APPROVAL, S.APPROVED, S.PUBLISHED}


def unit_result_rule(role: str, state: S, _: str) -> bool:
    """资阳区's results."""
    return ranking_rule(role, state, "") or (role == "filler_own" and state in SHOWN_TO_UNITS)


def ranking_preview_rule(role: str, state: S, _: str) -> bool:
    """The results page's ranking: the city's roles as the workbook; every unit while on view."""
    return ranking_rule(role, state, "") or (role in FILLERS and state == S.PUBLIC)


def objection_file_rule(role: str, state: S, _: str) -> bool:
    """An objection on 资阳区's item 1.2: its own 填报员, while on view (公示中)."""
    return role == "filler_own" and state == S.PUBLIC


def objection_answer_rule(role: str, state: S, _: str) -> bool:
    """Answering an objection on item 1.2: its department or the group, while on view."""
    return role in ("assessor_own", "group", "admin") and state == S.PUBLIC


def notice_rule(role: str, state: S, _: str) -> bool:
    return role in OVERSEERS or (role != "no_role" and published(state))


def scores_rule(role: str, state: S, _: str) -> bool:
    """资阳区's review, computed and final scores: the city as they are entered, the unit once 通报."""
    return role in CITY or (role == "filler_own" and state in SHOWN_TO_UNITS)


# Moving a campaign forward into each state; state = where it stands, target = any later state.
MOVERS = {
    S.SELF_ASSESSMENT: {"group", "admin"},
    S.REVIEW: {"group", "admin"},
    S.PUBLIC: {"group", "admin"},
    S.PENDING_APPROVAL: {"group", "admin"},
    S.APPROVED: {"party", "admin"},
    S.PUBLISHED: {"party", "group", "admin"},
}


def forward_rule(role: str, state: S, target: str) -> bool:
    return role in MOVERS[S(target)]


def back_rule(role: str, state: S, _: str) -> bool:
    # From 草稿 there is no earlier state: the workflow service says so, the policy only asks who and when.
    return role in ("group", "admin") and state in OPEN


EVERY_ACTION: dict[Action, Rule] = {
    Action.DASHBOARD: roles(WITH_A_ROLE),
    Action.DRAFTS_READ: roles({"group", "admin"}),
    Action.UNIT_READ: roles(CITY | {"filler_own"}),
    Action.OWN_UNIT: roles(FILLERS),
    Action.CAMPAIGN_CREATE: roles({"group", "admin"}),
    Action.CAMPAIGN_SETTINGS: roles({"group", "admin"}, open_only=True),
    Action.CAMPAIGN_FORWARD: forward_rule,
    Action.CAMPAIGN_BACK: back_rule,
    Action.IMPORT: import_rule,
    Action.SELF_READ: roles(OVERSEERS | {"filler_own"}),
    Action.SELF_SCORE: self_score_rule,
    Action.SELF_SUBMIT: self_submit_rule,
    Action.SELF_REOPEN: roles({"group", "admin"}, open_only=True),
    Action.REVIEW_SCORE: review_score_rule,
    Action.ITEM_RETURN: item_return_rule,
    Action.EVENT_RECORD: roles({"group", "admin"}, open_only=True),
    Action.EVENT_REMOVE: roles({"group", "admin"}, open_only=True),
    Action.ADJUSTMENT_RECORD: roles({"group", "admin"}, open_only=True),
    Action.ADJUSTMENT_REMOVE: roles({"group", "admin"}, open_only=True),
    Action.FOLLOWUP_READ: roles({"group", "party", "admin"}),
    Action.FOLLOWUP_EDIT: roles({"group", "admin"}),
    Action.APPROVAL_READ: roles({"party", "admin"}),
    Action.RANKING_READ: ranking_rule,
    Action.UNIT_RESULT_READ: unit_result_rule,
    Action.NOTICE_READ: notice_rule,
    Action.DIFFERENCES_READ: roles({"group", "party", "admin"}),
    Action.SCORES_READ: scores_rule,
    Action.MATERIAL_READ: roles(OVERSEERS | {"filler_own", "assessor_own"}),
    Action.ACCOUNTS_MANAGE: roles({"admin"}),
    Action.LATE_READ: roles({"group", "party", "admin"}),
    Action.RANKING_PREVIEW: ranking_preview_rule,
    Action.OBJECTION_FILE: objection_file_rule,
    Action.OBJECTION_ANSWER: objection_answer_rule,
    Action.OBJECTIONS_READ: roles(WITH_A_ROLE),
}


def test_every_action_has_a_rule_here():
    assert set(EVERY_ACTION) == set(Action)


# ── The cells: one test id per action × variant × state; each checks the row of every role at once ──
def _cells() -> list:
    cells = []

    def add(
        action: Action, variant: str, state: S, scope: Scope, rule: Rule | None = None, name: str = ""
    ) -> None:
        rule = rule or EVERY_ACTION[action]
        expected = {role: ALLOWED if rule(role, state, variant) else REFUSED for role in ROLES}
        label = "-".join(part for part in (action.value, name or variant, state.value) if part)
        cells.append(pytest.param(action, scope, expected, id=label))

    for state in STATES:
        for action in Action:
            if action == Action.IMPORT:
                for kind in KINDS:
                    add(action, kind, state, unit_scope(state, kind=kind))
                for event_kind, name in EVENT_KINDS.items():
                    scope = unit_scope(state, kind="events", event_kind=event_kind)
                    add(action, event_kind, state, scope, event_kind_rule, f"events:{name}")
            elif action in (Action.SELF_SCORE, Action.SELF_SUBMIT):
                for name, values in SITUATIONS.items():
                    # Whether a unit may submit twice is the service's answer; the policy asks who and when.
                    if action == Action.SELF_SUBMIT and name in ("submitted", "returned", "from_sheet"):
                        continue
                    scope = unit_scope(state, **values)
                    if action == Action.SELF_SUBMIT:
                        scope = replace(scope, item_id="")
                    add(action, name, state, scope)
            elif action == Action.CAMPAIGN_FORWARD:
                for target in STATES[STATES.index(state) + 1 :]:
                    add(
                        action,
                        target.value,
                        state,
                        unit_scope(state, target=target),
                        name=f"to-{target.value}",
                    )
            else:
                add(action, "", state, unit_scope(state))
    return cells


ALLOWED, REFUSED = "allowed", "refused"
CELLS = _cells()
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """These tests touch no settings: skip the root conftest's per-test settings fixture."""


def assert_a_chinese_reason(refusal: object) -> None:
    assert isinstance(refusal, str) and refusal.strip(), f"refused without a reason: {refusal!r}"
    assert CHINESE.search(refusal) and not re.search(r"[A-Za-z{}]", refusal), refusal


@pytest.mark.parametrize(("action", "scope", "expected"), CELLS)
def test_policy(action, scope, expected):
    refusals = {role: policy_refusal(ACTORS[role], action, scope) for role in ROLES}
    answers = {role: ALLOWED if refusal is None else REFUSED for role, refusal in refusals.items()}
    assert answers == expected, refusals
    for refusal in refusals.values():
        if refusal is not None:
            assert_a_chinese_reason(refusal)


# ── The page-level questions (no scope): may this person do this at all, in some scope ──
UNSCOPED = {
    Action.IMPORT: FILLERS | {"group", "admin"},  # the 台帐与报送 page
    Action.CAMPAIGN_FORWARD: {"group", "party", "admin"},
    Action.REVIEW_SCORE: {"assessor_own", "assessor_other", "group", "admin"},  # the 考评 page
    Action.ITEM_RETURN: {"assessor_own", "assessor_other", "group", "admin"},
    Action.SELF_SUBMIT: {"filler_own", "filler_other", "admin"},
    Action.RANKING_READ: {"group", "party", "admin", "assessor_own", "assessor_other"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(UNSCOPED), ids=str)
def test_unscoped(action, role):
    refusal = policy_refusal(ACTORS[role], action)
    assert (refusal is None) == (role in UNSCOPED[action]), refusal
    if refusal is not None:
        assert_a_chinese_reason(refusal)


# ── Exact texts of key cells ──
FROZEN_TEXT = "2017 年度考评已审定，所有分数和台帐已冻结，不能再修改"
EXACT = [
    (
        "filler_own",
        Action.IMPORT,
        dict(kind="casefile-reviews"),
        "案卷评查由考评小组导入：单位不能为本单位的案卷评分",
    ),
    ("filler_own", Action.IMPORT, dict(kind="units"), "只有管理员可以导入被考评单位"),
    ("group", Action.IMPORT, dict(kind="units"), "只有管理员可以导入被考评单位"),
    ("filler_own", Action.IMPORT, dict(kind="review-scores"), "只有考评小组可以导入考评表"),
    ("assessor_own", Action.IMPORT, dict(kind="review-scores"), "只有考评小组可以导入考评表"),
    ("party", Action.IMPORT, dict(kind="cases"), "只有区县填报员、考评小组可以导入违法案件台帐"),
    ("party", Action.IMPORT, {}, "只有区县填报员、考评小组可以导入台帐"),
    (
        "filler_own",
        Action.IMPORT,
        dict(kind="events", event_kind="约谈"),
        "“约谈”由考评小组记录，区县不能自行导入",
    ),
    ("filler_other", Action.IMPORT, dict(kind="cases", unit_id=ZY_ID), "只能导入本单位（赫山区）的记录"),
    ("group", Action.IMPORT, dict(kind="cases", campaign=facts(S.APPROVED)), FROZEN_TEXT),
    ("admin", Action.IMPORT, dict(kind="units", campaign=facts(S.APPROVED)), FROZEN_TEXT),
    ("no_role", Action.DASHBOARD, {}, "您的账号尚未分配角色，请联系管理员"),
    ("party", Action.MATERIAL_READ, dict(unit_id=ZY_ID), None),
    (
        "filler_own",
        Action.SELF_SCORE,
        dict(campaign=facts(S.SELF_ASSESSMENT), unit_id=ZY_ID, situation=SelfSituation(submitted=True)),
        "本单位自评已提交，不能再修改；如需修改请联系考评小组重新开放",
    ),
    (
        "filler_own",
        Action.SELF_SCORE,
        dict(campaign=facts(S.SELF_ASSESSMENT), unit_id=ZY_ID, today=AFTER),
        "自评截止日期 2017年03月31日 已过，不能再修改；如需修改请联系考评小组",
    ),
    (
        "filler_own",
        Action.SELF_SCORE,
        dict(campaign=facts(S.REVIEW), unit_id=ZY_ID),
        "考评处于“考评中”阶段，自评已关闭",
    ),
    (
        "filler_other",
        Action.SELF_SCORE,
        dict(campaign=facts(S.SELF_ASSESSMENT), unit_id=ZY_ID, unit_name="资阳区"),
        "只有资阳区的填报员可以填写该单位的自评分",
    ),
    (
        "group",
        Action.SELF_SCORE,
        dict(campaign=facts(S.SELF_ASSESSMENT), unit_id=ZY_ID, unit_name="资阳区"),
        "只有资阳区的填报员可以填写该单位的自评分",
    ),
    (
        "assessor_other",
        Action.REVIEW_SCORE,
        dict(campaign=facts(S.REVIEW), item_id=ITEM, item_departments=(OWNER,)),
        "条目 1.2 不归执法监察支队考评",
    ),
    (
        "group",
        Action.REVIEW_SCORE,
        dict(campaign=facts(S.SELF_ASSESSMENT), item_id=ITEM, item_departments=(OWNER,)),
        "考评处于“自评中”阶段，只有“考评中”可以录入考评分",
    ),
    (
        "party",
        Action.REVIEW_SCORE,
        dict(campaign=facts(S.REVIEW)),
        "只有成员单位考评员或考评小组可以录入考评分",
    ),
    ("group", Action.CAMPAIGN_BACK, dict(campaign=facts(S.PUBLISHED)), "2017 年度考评已通报，不能退回"),
    ("party", Action.CAMPAIGN_BACK, dict(campaign=facts(S.REVIEW)), "只有考评小组可以退回考评状态"),
    ("group", Action.CAMPAIGN_FORWARD, dict(target=S.APPROVED), "只有党组可以将考评推进到“已审定”"),
    ("party", Action.CAMPAIGN_FORWARD, dict(target=S.REVIEW), "只有考评小组可以将考评推进到“考评中”"),
    (
        "assessor_own",
        Action.RANKING_READ,
        dict(campaign=facts(S.APPROVED)),
        "2017 年度考评处于“已审定”阶段；考评结果通报后，成员单位考评员才能下载排名表",
    ),
    (
        "filler_other",
        Action.UNIT_RESULT_READ,
        dict(campaign=facts(S.PUBLISHED), unit_id=ZY_ID),
        "只能查看本单位的考评结果",
    ),
    (
        "filler_own",
        Action.UNIT_RESULT_READ,
        dict(campaign=facts(S.REVIEW), unit_id=ZY_ID),
        "2017 年度考评结果尚未公示；公示后可查看本单位的得分、名次和等次",
    ),
    (
        "filler_own",
        Action.OBJECTION_FILE,
        dict(
            campaign=replace(facts(S.PUBLIC), objection_until=datetime.date(YEAR + 1, 1, 8)),
            unit_id=ZY_ID,
            today=datetime.date(YEAR + 1, 1, 9),
        ),
        "申诉期已于 2018年1月8日 结束，不能再提出申诉",
    ),
    (
        "filler_own",
        Action.OBJECTION_FILE,
        dict(
            campaign=replace(facts(S.PUBLIC), objection_until=datetime.date(YEAR + 1, 1, 8)),
            unit_id=ZY_ID,
            today=datetime.date(YEAR + 1, 1, 8),
        ),
        None,
    ),
    (
        "filler_other",
        Action.OBJECTION_FILE,
        dict(campaign=facts(S.PUBLIC), unit_id=ZY_ID, unit_name="资阳区"),
        "只有资阳区的填报员可以对该单位的得分提出申诉",
    ),
    (
        "assessor_other",
        Action.OBJECTION_ANSWER,
        dict(campaign=facts(S.PUBLIC), item_id=ITEM, item_departments=(OWNER,)),
        "条目 1.2 不归执法监察支队考评",
    ),
    (
        "group",
        Action.REVIEW_SCORE,
        dict(campaign=facts(S.PUBLIC), item_id=ITEM, item_departments=(OWNER,), on_objection=True),
        None,
    ),
    (
        "assessor_other",
        Action.REVIEW_SCORE,
        dict(campaign=facts(S.PUBLIC), item_id=ITEM, item_departments=(OWNER,), on_objection=True),
        "条目 1.2 不归执法监察支队考评",
    ),
    (
        "group",
        Action.REVIEW_SCORE,
        dict(campaign=facts(S.PUBLIC), item_id=ITEM, item_departments=(OWNER,)),
        "考评处于“公示中”阶段，只有“考评中”可以录入考评分",
    ),
    ("filler_other", Action.MATERIAL_READ, dict(unit_id=ZY_ID), "只能查看本单位的材料"),
    ("group", Action.ACCOUNTS_MANAGE, {}, "只有管理员可以管理用户、单位和令牌"),
    ("assessor_own", Action.LATE_READ, {}, "只有考评小组、党组可以查看逾期单位"),
]


KNOWN_WRONG: dict = {}  # cells whose text the policy got wrong (none now)


def _exact_param(n: int, cell: tuple) -> object:
    role, action = cell[0], cell[1]
    wrong = KNOWN_WRONG.get((action, role))
    marks = [pytest.mark.xfail(strict=True, reason=wrong)] if wrong else []
    return pytest.param(*cell, id=f"{n}-{action.value}-{role}", marks=marks)


@pytest.mark.parametrize(
    ("role", "action", "scope", "text"), [_exact_param(n, c) for n, c in enumerate(EXACT)]
)
def test_exact_text(role, action, scope, text):
    assert policy_refusal(ACTORS[role], action, **scope) == text
