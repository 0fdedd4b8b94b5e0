"""Who may do what: the one place that says, for a person, an action and its scope, nothing or the reason.

Services call `policy_check` (it raises Refused with the reason); pages and the API call `policy_refusal`
to show the same answer (a disabled button with its reason). No other module compares roles.

The rules take plain values (a campaign's state and year, a unit's id and name, an item's departments,
and for a self score where the unit's self-assessment stands) so that they are pure: the services
read those facts, lock what they change, and ask here.
"""

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kaoping.errors import Refused
from kaoping.scoring.enums import CampaignState

from .models import Role

F, A, G, P, ADMIN = Role.FILLER, Role.ASSESSOR, Role.GROUP, Role.PARTY, Role.ADMIN
CITY_ROLES = (A, G, P, ADMIN)
OVERSEERS = (G, P, ADMIN)


@dataclass(frozen=True)
class Actor:
    """A person as the rules see them: a role, and the unit or department it is scoped to."""

    role: Role | None
    unit_id: int | None = None
    unit_name: str = ""
    department_code: str = ""
    department_name: str = ""
    username: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


# The command line acts as the system administrator on the server (formats.md).
COMMAND_LINE = Actor(role=ADMIN, username="命令行")


def actor_of(user: Any) -> Actor:
    """The Actor of a Django user (None: the command line); read once per request and remembered."""
    if user is None:
        return COMMAND_LINE
    if isinstance(user, Actor):
        return user
    cached = getattr(user, "_kaoping_actor", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        actor = Actor(role=None)
    elif user.is_superuser:
        actor = Actor(role=ADMIN, username=user.get_username())
    else:
        profile = getattr(user, "profile", None)
        if profile is None:
            actor = Actor(role=None, username=user.get_username())
        else:
            unit = profile.unit if profile.unit_id else None
            department = profile.department if profile.department_id else None
            actor = Actor(
                role=Role(profile.role),
                unit_id=profile.unit_id,
                unit_name=unit.name if unit else "",
                department_code=department.code if department else "",
                department_name=department.name if department else "",
                username=user.get_username(),
            )
    user._kaoping_actor = actor
    return actor


class Action(StrEnum):
    DASHBOARD = "dashboard"  # 工作台 and 考评结果 pages (what they show is decided per campaign)
    DRAFTS_READ = "drafts_read"  # years still in 草稿
    UNIT_READ = "unit_read"  # a unit's name and page (scope: unit)
    OWN_UNIT = "own_unit"  # the person works for one unit (a 填报员): its own 自评 and results
    CAMPAIGN_CREATE = "campaign_create"
    CAMPAIGN_SETTINGS = "campaign_settings"
    CAMPAIGN_FORWARD = "campaign_forward"  # scope: campaign, target state
    CAMPAIGN_BACK = "campaign_back"  # scope: campaign
    IMPORT = "import"  # scope: kind (none: any kind), event kind of a row, unit of a row, campaign
    SELF_READ = "self_read"  # a unit's self-assessment page (scope: unit)
    SELF_SCORE = "self_score"  # a self score or evidence (scope: campaign, unit, item, situation)
    SELF_SUBMIT = "self_submit"  # scope: campaign, unit, situation
    SELF_REOPEN = "self_reopen"  # scope: campaign
    REVIEW_SCORE = "review_score"  # scope: campaign, item
    ITEM_RETURN = "item_return"  # scope: campaign, item
    EVENT_RECORD = "event_record"  # 约谈 / 问责 / 数据不实 (scope: campaign)
    EVENT_REMOVE = "event_remove"
    ADJUSTMENT_RECORD = "adjustment_record"  # an entry of a rubric's 加分项 / 扣分项 (scope: campaign)
    ADJUSTMENT_REMOVE = "adjustment_remove"  # scope: campaign
    FOLLOWUP_READ = "followup_read"
    FOLLOWUP_EDIT = "followup_edit"
    APPROVAL_READ = "approval_read"  # the party's 审定 page
    RANKING_READ = "ranking_read"  # every unit's results and the ranking workbook (scope: campaign)
    UNIT_RESULT_READ = "unit_result_read"  # one unit's results (scope: campaign, unit)
    NOTICE_READ = "notice_read"  # the 通报 (scope: campaign)
    DIFFERENCES_READ = "differences_read"  # self vs final of every unit
    SCORES_READ = "scores_read"  # a unit's review, computed and final item scores (scope: campaign, unit)
    MATERIAL_READ = "material_read"  # a unit's self score, note and evidence of an item (scope: unit, item)
    ACCOUNTS_MANAGE = "accounts_manage"  # users, roles, tokens, units, departments, rubrics
    LATE_READ = "late_read"  # the units late with their self-assessment or monthly reports
    RANKING_PREVIEW = "ranking_preview"  # every unit's totals and ranks on the results page (scope: campaign)
    OBJECTION_FILE = "objection_file"  # 申诉 on an item of a unit (scope: campaign, unit, today)
    OBJECTION_ANSWER = "objection_answer"  # 维持 / 改分 (scope: campaign, item)
    OBJECTIONS_READ = "objections_read"  # the objections table (what it lists: objection_scope_of)


@dataclass(frozen=True)
class CampaignFacts:
    """What the rules need of a campaign."""

    year: int
    state: str
    self_deadline: datetime.date | None = None
    objection_until: datetime.date | None = None  # the last day of the 公示's objection window

    @property
    def frozen(self) -> bool:
        return CampaignState(self.state).is_frozen

    @property
    def state_label(self) -> str:
        return CampaignState(self.state).label


@dataclass(frozen=True)
class SelfSituation:
    """Where a unit's self-assessment stands, for one item."""

    returned: bool = False  # the item was returned (退回) and not yet answered
    submitted: bool = False
    reopened_until: datetime.date | None = None


@dataclass(frozen=True)
class Scope:
    campaign: CampaignFacts | None = None
    unit_id: int | None = None
    unit_name: str = ""
    item_id: str = ""
    item_departments: Collection[str] = ()
    kind: str = ""  # an import kind
    event_kind: str = ""  # the 类型 of an imported event row
    target: str = ""  # the state a campaign moves to
    situation: SelfSituation = field(default_factory=SelfSituation)
    today: datetime.date | None = None
    from_sheet: bool = False  # a score loaded from an imported 自评表 / 考评表, not typed in a row
    on_objection: bool = False  # a review score given as the answer (改分) to an objection


def campaign_facts(campaign: Any) -> CampaignFacts:
    return CampaignFacts(
        year=campaign.year,
        state=campaign.state,
        self_deadline=campaign.self_deadline,
        objection_until=campaign.objection_until,
    )


def frozen_refusal(campaign: CampaignFacts) -> str:
    return f"{campaign.year} 年度考评{campaign.state_label}，所有分数和台帐已冻结，不能再修改"


def _names(roles: Collection[Role]) -> str:
    named = [Role(r).label for r in roles if r != ADMIN]  # administrators hold every role
    return "、".join(named) or Role(ADMIN).label


def _only(roles: Collection[Role], what: str) -> str:
    return f"只有{_names(roles)}可以{what}"


# ── Import kinds: who may upload each (issue 7; formats.md) ──
# own: a 填报员 imports its own unit's rows only (the import service limits the rows).
GROUP_EVENT_KINDS = ("约谈", "问责", "数据不实")  # findings about a unit, recorded by the group


@dataclass(frozen=True)
class Importers:
    roles: tuple[Role, ...]
    label: str


IMPORTERS: dict[str, Importers] = {
    "units": Importers((ADMIN,), "被考评单位"),
    "cases": Importers((F, G), "违法案件台帐"),
    "submissions": Importers((F, G), "报送记录"),
    "tips": Importers((F, G), "举报线索"),
    "patches": Importers((F, G), "卫片图斑"),
    "events": Importers((F, G), "工作事项"),
    "casefile-reviews": Importers((G,), "案卷评查"),
    "self-scores": Importers((F, G), "自评表"),
    "review-scores": Importers((G,), "考评表"),
}


def import_kinds_for(actor: Actor) -> list[str]:
    """The kinds this person may upload, in the order of formats.md."""
    return [kind for kind in IMPORTERS if _import(actor, Scope(kind=kind)) is None]


def rows_limited_to_own_unit(actor: Actor) -> bool:
    """A 填报员's uploads carry its own unit's rows only."""
    return actor.role == F


def _import(actor: Actor, scope: Scope) -> str | None:
    if not scope.kind:
        return None if actor.is_admin or actor.role in (F, G) else "只有区县填报员、考评小组可以导入台帐"
    importers = IMPORTERS.get(scope.kind)
    if importers is None:
        return f"未知的导入类型“{scope.kind}”"
    if not actor.is_admin and actor.role not in importers.roles:
        if scope.kind == "casefile-reviews" and actor.role == F:
            return "案卷评查由考评小组导入：单位不能为本单位的案卷评分"
        if importers.roles == (ADMIN,):
            return f"只有管理员可以导入{importers.label}"
        return _only(importers.roles, f"导入{importers.label}")
    if scope.event_kind in GROUP_EVENT_KINDS and actor.role == F:
        return f"“{scope.event_kind}”由考评小组记录，区县不能自行导入"
    if scope.unit_id is not None and actor.role == F and scope.unit_id != actor.unit_id:
        return f"只能导入本单位（{actor.unit_name}）的记录"
    if scope.campaign is not None and scope.campaign.frozen:
        return frozen_refusal(scope.campaign)
    return None


# ── Campaign moves: which role may move a campaign into each state ──
MOVERS: dict[str, tuple[Role, ...]] = {
    CampaignState.SELF_ASSESSMENT: (G,),
    CampaignState.REVIEW: (G,),
    CampaignState.PUBLIC: (G,),
    CampaignState.PENDING_APPROVAL: (G,),
    CampaignState.APPROVED: (P,),
    CampaignState.PUBLISHED: (P, G),
}


def _forward(actor: Actor, scope: Scope) -> str | None:
    if not scope.target:
        movers = {role for roles in MOVERS.values() for role in roles}
        return None if actor.is_admin or actor.role in movers else "只有考评小组、党组可以推进考评状态"
    target = CampaignState(scope.target)
    roles = MOVERS.get(target, ())
    if actor.is_admin or actor.role in roles:
        return None
    return _only(roles, f"将考评推进到“{target.label}”")


def _back(actor: Actor, scope: Scope) -> str | None:
    if scope.campaign is not None and scope.campaign.frozen:
        return f"{scope.campaign.year} 年度考评{scope.campaign.state_label}，不能退回"
    return None if actor.is_admin or actor.role == G else _only((G,), "退回考评状态")


def _not_in_state(campaign: CampaignFacts | None, state: CampaignState, what: str) -> str | None:
    if campaign is not None and campaign.state != state:
        return f"考评处于“{campaign.state_label}”阶段，只有“{state.label}”可以{what}"
    return None


def _self_deadline(scope: Scope) -> str | None:
    """After the deadline a unit changes nothing, unless the group reopened its self-assessment."""
    campaign, situation = scope.campaign, scope.situation
    if campaign is None or campaign.self_deadline is None:
        return None
    today = scope.today or datetime.date.today()
    if situation.reopened_until is not None and today <= situation.reopened_until:
        return None
    if today > campaign.self_deadline:
        return f"自评截止日期 {campaign.self_deadline:%Y年%m月%d日} 已过，不能再修改；如需修改请联系考评小组"
    return None


def _self_score(actor: Actor, scope: Scope) -> str | None:
    campaign = scope.campaign
    if campaign is not None and campaign.frozen:
        return frozen_refusal(campaign)
    if actor.is_admin or (actor.role == G and scope.from_sheet):
        return None  # the group loads a unit's sheet (collected on paper) on its behalf, in any open state
    if actor.role != F or (scope.unit_id is not None and actor.unit_id != scope.unit_id):
        return f"只有{scope.unit_name or '本单位'}的填报员可以填写该单位的自评分"
    if campaign is None or scope.situation.returned:
        return None
    if campaign.state != CampaignState.SELF_ASSESSMENT:
        return f"考评处于“{campaign.state_label}”阶段，自评已关闭"
    if scope.situation.submitted:
        return "本单位自评已提交，不能再修改；如需修改请联系考评小组重新开放"
    return _self_deadline(scope)


def _self_submit(actor: Actor, scope: Scope) -> str | None:
    own = actor.role == F and (scope.unit_id is None or actor.unit_id == scope.unit_id)
    if not (actor.is_admin or own):
        return f"只有{scope.unit_name or '本单位'}的填报员可以提交该单位的自评"
    if scope.campaign is not None and scope.campaign.frozen:
        return frozen_refusal(scope.campaign)
    refused = _not_in_state(scope.campaign, CampaignState.SELF_ASSESSMENT, "提交自评")
    if refused or actor.is_admin:
        return refused
    return _self_deadline(scope)


def _department_owns(actor: Actor, scope: Scope) -> str | None:
    if actor.role == A and scope.item_id and actor.department_code not in scope.item_departments:
        return f"条目 {scope.item_id} 不归{actor.department_name}考评"
    return None


def _review_score(actor: Actor, scope: Scope) -> str | None:
    if actor.role not in (A, G, ADMIN):
        return "只有成员单位考评员或考评小组可以录入考评分"
    if scope.campaign is not None and scope.campaign.frozen:
        return frozen_refusal(scope.campaign)
    if actor.is_admin:
        return None  # the command line loads review scores in any open state (formats.md)
    if scope.on_objection:  # 改分: the answer to an objection, while the results are on view
        return _department_owns(actor, scope) or _not_in_state(scope.campaign, CampaignState.PUBLIC, "改分")
    return _department_owns(actor, scope) or _not_in_state(scope.campaign, CampaignState.REVIEW, "录入考评分")


def _item_return(actor: Actor, scope: Scope) -> str | None:
    return _item_owner_in_state(
        actor, scope, "只有成员单位考评员或考评小组可以退回条目", CampaignState.REVIEW, "退回条目"
    )


def _item_owner_in_state(actor: Actor, scope: Scope, who: str, state: CampaignState, what: str) -> str | None:
    """The item's department (or the group, or the command line), in an open year, in `state`."""
    if actor.role not in (A, G, ADMIN):
        return who
    if scope.campaign is not None and scope.campaign.frozen:
        return frozen_refusal(scope.campaign)
    return _department_owns(actor, scope) or _not_in_state(scope.campaign, state, what)


def _published(scope: Scope) -> bool:
    return scope.campaign is not None and scope.campaign.state == CampaignState.PUBLISHED


# From the 公示 on, a unit sees its own item-by-item results (they were put on view to it).
SHOWN_TO_UNITS = (
    CampaignState.PUBLIC,
    CampaignState.PENDING_APPROVAL,
    CampaignState.APPROVED,
    CampaignState.PUBLISHED,
)


def _shown_to_units(scope: Scope) -> bool:
    return scope.campaign is not None and scope.campaign.state in SHOWN_TO_UNITS


def _on_view(scope: Scope) -> bool:
    return scope.campaign is not None and scope.campaign.state == CampaignState.PUBLIC


def _ranking(actor: Actor, scope: Scope) -> str | None:
    if actor.role in OVERSEERS:
        return None
    campaign = scope.campaign
    if actor.role == A:
        if campaign is None or _published(scope):
            return None
        return (
            f"{campaign.year} 年度考评处于“{campaign.state_label}”阶段；"
            "考评结果通报后，成员单位考评员才能下载排名表"
        )
    if actor.role == F:
        if _published(scope):
            return (
                "全市排名表仅供考评小组、党组和成员单位考评员下载；"
                "本单位的得分、名次和等次见“考评结果”，全市考评情况见通报（可在该页下载）"
            )
        year = f"{campaign.year} 年度" if campaign else ""
        return (
            "全市排名表仅供考评小组、党组和成员单位考评员下载；"
            f"{year}考评结果通报后，可在“考评结果”中查看本单位的得分、名次和等次"
        )
    return _no_role(actor)


def _unit_result(actor: Actor, scope: Scope) -> str | None:
    if _ranking(actor, scope) is None:
        return None
    campaign = scope.campaign
    year = f"{campaign.year} 年度" if campaign else ""
    if actor.role == F:
        if scope.unit_id is not None and scope.unit_id != actor.unit_id:
            return "只能查看本单位的考评结果"
        if _shown_to_units(scope):
            return None
        return f"{year}考评结果尚未公示；公示后可查看本单位的得分、名次和等次"
    return f"{year}考评结果尚未通报；通报后可查看"


def _notice(actor: Actor, scope: Scope) -> str | None:
    if _ranking(actor, scope) is None or (actor.role == F and _published(scope)):
        return None
    year = f"{scope.campaign.year} 年度" if scope.campaign else ""
    return f"{year}考评结果通报后才能下载通报"


def _ranking_preview(actor: Actor, scope: Scope) -> str | None:
    """The results page's ranking: the city's roles as the ranking workbook; a unit while on view (公示)."""
    if _ranking(actor, scope) is None or (actor.role == F and _on_view(scope)):
        return None
    if actor.role == F:
        year = f"{scope.campaign.year} 年度" if scope.campaign else ""
        return f"全市排名仅在{year}考评结果公示期间向各单位公开；本单位的得分、名次和等次见“考评结果”"
    return _ranking(actor, scope)


def _objection_file(actor: Actor, scope: Scope) -> str | None:
    campaign = scope.campaign
    if campaign is not None and campaign.frozen:
        return frozen_refusal(campaign)
    if actor.role != F or (scope.unit_id is not None and actor.unit_id != scope.unit_id):
        return f"只有{scope.unit_name or '本单位'}的填报员可以对该单位的得分提出申诉"
    if campaign is None:
        return None
    if campaign.state != CampaignState.PUBLIC:
        return f"考评处于“{campaign.state_label}”阶段；只有考评结果公示期间可以提出申诉"
    until, today = campaign.objection_until, scope.today or datetime.date.today()
    if until is not None and today > until:
        return f"申诉期已于 {until.year}年{until.month}月{until.day}日 结束，不能再提出申诉"
    return None


def _objection_answer(actor: Actor, scope: Scope) -> str | None:
    who = "只有负责该条目的成员单位考评员或考评小组可以答复申诉"
    return _item_owner_in_state(actor, scope, who, CampaignState.PUBLIC, "答复申诉")


def _objections_read(actor: Actor, scope: Scope) -> str | None:
    return None if actor.role in (F, A, G, P, ADMIN) else _no_role(actor)


def _material(actor: Actor, scope: Scope) -> str | None:
    if actor.role == F:
        return None if scope.unit_id == actor.unit_id else "只能查看本单位的材料"
    if actor.role == A:
        return _department_owns(actor, scope)
    return None if actor.role in OVERSEERS else _no_role(actor)


def _scores(actor: Actor, scope: Scope) -> str | None:
    """The city's roles see the scores as they are entered; a unit its own once they are 通报."""
    if actor.role in CITY_ROLES:
        return None
    return _unit_result(actor, scope)


def _unit(actor: Actor, scope: Scope) -> str | None:
    if actor.role == F:
        return None if scope.unit_id is None or scope.unit_id == actor.unit_id else "只能查看本单位"
    return None if actor.role in CITY_ROLES else _no_role(actor)


def _self_read(actor: Actor, scope: Scope) -> str | None:
    if actor.role == F:
        return _unit(actor, scope)
    return None if actor.role in OVERSEERS else "此页面仅供区县填报员、考评小组、党组使用"


def _no_role(actor: Actor) -> str:
    return "您的账号尚未分配角色，请联系管理员" if actor.role is None else "您无权进行此操作"


def _roles(roles: tuple[Role, ...], what: str, frozen_matters: bool = False) -> Callable:
    def rule(actor: Actor, scope: Scope) -> str | None:
        if not actor.is_admin and actor.role not in roles:
            return _only(roles, what)
        if frozen_matters and scope.campaign is not None and scope.campaign.frozen:
            return frozen_refusal(scope.campaign)
        return None

    return rule


RULES: dict[Action, Callable[[Actor, Scope], str | None]] = {
    Action.DASHBOARD: lambda actor, scope: None if actor.role is not None else _no_role(actor),
    Action.DRAFTS_READ: _roles((G,), "查看草稿年度"),
    Action.UNIT_READ: _unit,
    Action.OWN_UNIT: lambda actor, scope: None if actor.role == F else "只有区县填报员有本单位的自评",
    Action.CAMPAIGN_CREATE: _roles((G,), "创建考评年度"),
    Action.CAMPAIGN_SETTINGS: _roles((G,), "修改考评设置", frozen_matters=True),
    Action.CAMPAIGN_FORWARD: _forward,
    Action.CAMPAIGN_BACK: _back,
    Action.IMPORT: _import,
    Action.SELF_READ: _self_read,
    Action.SELF_SCORE: _self_score,
    Action.SELF_SUBMIT: _self_submit,
    Action.SELF_REOPEN: _roles((G,), "重新开放自评", frozen_matters=True),
    Action.REVIEW_SCORE: _review_score,
    Action.ITEM_RETURN: _item_return,
    Action.EVENT_RECORD: _roles((G,), "记录约谈、问责和数据不实", frozen_matters=True),
    Action.EVENT_REMOVE: _roles((G,), "删除约谈、问责和数据不实记录", frozen_matters=True),
    Action.ADJUSTMENT_RECORD: _roles((G,), "记录加分和扣分", frozen_matters=True),
    Action.ADJUSTMENT_REMOVE: _roles((G,), "删除加分和扣分记录", frozen_matters=True),
    Action.FOLLOWUP_READ: _roles((G, P), "查看整改跟踪"),
    Action.FOLLOWUP_EDIT: _roles((G,), "填写整改跟踪"),
    Action.APPROVAL_READ: _roles((P,), "审定考评结果"),
    Action.RANKING_READ: _ranking,
    Action.UNIT_RESULT_READ: _unit_result,
    Action.NOTICE_READ: _notice,
    Action.DIFFERENCES_READ: _roles((G, P), "查看自评与考评差异"),
    Action.SCORES_READ: _scores,
    Action.MATERIAL_READ: _material,
    Action.ACCOUNTS_MANAGE: _roles((ADMIN,), "管理用户、单位和令牌"),
    Action.LATE_READ: _roles((G, P), "查看逾期单位"),
    Action.RANKING_PREVIEW: _ranking_preview,
    Action.OBJECTION_FILE: _objection_file,
    Action.OBJECTION_ANSWER: _objection_answer,
    Action.OBJECTIONS_READ: _objections_read,
}


def policy_refusal(user: Any, action: Action, scope: Scope | None = None, **values: Any) -> str | None:
    """None when this person may do this now, else the reason in Chinese. Scope may be given as keywords."""
    actor = actor_of(user)
    if actor.role is None:
        return _no_role(actor)
    return RULES[action](actor, scope if scope is not None else Scope(**values))


def policy_allows(user: Any, action: Action, scope: Scope | None = None, **values: Any) -> bool:
    return policy_refusal(user, action, scope, **values) is None


def policy_check(user: Any, action: Action, scope: Scope | None = None, **values: Any) -> None:
    """Raise Refused with the reason unless the person may do this now."""
    refusal = policy_refusal(user, action, scope, **values)
    if refusal is not None:
        raise Refused(refusal)


def unit_scope_of(user: Any) -> int | None:
    """The one unit a person's reads are limited to (a 填报员's own), or None for the city's roles."""
    actor = actor_of(user)
    return actor.unit_id if actor.role == F else None


def department_scope_of(user: Any) -> str | None:
    """The department whose items a person's task is limited to (a 考评员's), or None."""
    actor = actor_of(user)
    return actor.department_code if actor.role == A else None


def reviews_item(user: Any, departments: Collection[str]) -> bool:
    """Is this item part of the person's review task (a 考评员: its department's; the group: all)?"""
    actor = actor_of(user)
    if actor.role == A:
        return actor.department_code in departments
    return actor.role in (G, ADMIN)
