"""What each `kaoping` sub-command does, over the services (the parser lives in cli.py)."""

import argparse
import getpass
import os
from pathlib import Path

from kaoping.errors import KaopingError


def rubric(args: argparse.Namespace) -> str:
    """`rubric check` and `rubric new`: files only, no database."""
    from kaoping.rubrics.newyear import rubric_new_year, rubric_source_find
    from kaoping.rubrics.schema import load_rubric_file, rubric_summary

    if args.action == "check":
        return rubric_summary(load_rubric_file(args.file))
    output = _output_path(args.output, ".toml")
    if output.exists() and not args.force:
        raise KaopingError(f"文件已存在：{output}；换一个文件名，或加 --force 覆盖")
    source, origin = rubric_source_find(args.source)
    made = rubric_new_year(source, year=args.year, new_id=args.new_id, origin=origin)
    output.write_text(made.text, encoding="utf-8")
    lines = [f"已从 {origin} 生成 {args.year} 年度细则：{output}", "改动："]
    lines += [f"  - {change}" for change in made.changes]
    lines += ["请核对：", *(f"  - {item}" for item in made.review), "", rubric_summary(made.rubric)]
    return "\n".join(lines)


def results(year: int):
    from kaoping.assessments.results import results_stored
    from kaoping.campaigns.services import campaign_for_year

    return results_stored(campaign_for_year(year))


def campaign(args: argparse.Namespace) -> str:
    from kaoping.assessments.workflow import campaign_advance, campaign_create
    from kaoping.campaigns.services import campaign_for_year, parse_state

    if args.action == "create":
        created = campaign_create(
            year=args.year,
            rubric_code=args.rubric,
            pass_min=args.pass_min,
            excellent_min=args.excellent_min,
            excellent_quota=args.excellent_quota,
            objection_days=args.objection_days,
        )
        return f"已开启 {created.year} 年度考评（细则 {created.rubric.code}，状态：{created.get_state_display()}）"
    moved = campaign_advance(
        campaign=campaign_for_year(args.year), to=parse_state(args.to) if args.to else None
    )
    return f"{moved.year} 年度考评现为“{moved.get_state_display()}”"


def remind(args: argparse.Namespace) -> str:
    from kaoping.reminders import remind as remind_run
    from kaoping.reminders import years_open

    years = [args.year] if args.year else years_open()
    if not years:
        return "没有尚未审定的考评年度，不需要提醒"
    return "\n".join(str(remind_run(year, dry_run=args.dry_run, today=args.today)) for year in years)


def _acting(username: str | None):
    """The user named by --as, or None: the command line acts as the system administrator."""
    from django.contrib.auth import get_user_model

    if not username:
        return None
    actor = get_user_model().objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise KaopingError(f"用户 {username} 不存在或已停用；可用 kaoping user create 创建")
    return actor


def import_file(args: argparse.Namespace) -> str:
    from kaoping.importing import file_import

    return str(file_import(kind=args.kind, path=args.file, year=args.year, actor=_acting(args.as_user)))


def adjustment(args: argparse.Namespace) -> str:
    import json

    from kaoping.assessments.adjustments import (
        EvidenceUpload,
        adjustment_entries_visible,
        adjustment_entry_visible,
        adjustment_record,
        adjustment_remove,
        adjustment_rows,
    )
    from kaoping.campaigns.services import campaign_for_year
    from kaoping.org.models import Unit
    from kaoping.org.policy import COMMAND_LINE
    from kaoping.scoring.numbers import signed2

    if args.action == "remove":
        actor = _acting(args.as_user)
        entry = adjustment_entry_visible(COMMAND_LINE, args.entry)  # the service asks the policy for --as
        adjustment_remove(entry=entry, reason=args.reason, actor=actor)
        return f"已删除加分、扣分记录 {args.entry}（{entry.unit.name} {entry.adjustment_id} {entry.basis}）"
    campaign_row = campaign_for_year(args.year)
    if args.action == "add":
        unit = Unit.objects.filter(code=args.unit).first()
        if unit is None:
            raise KaopingError(f"没有代码为 {args.unit} 的单位")
        if not args.evidence.is_file():
            raise KaopingError(f"佐证材料文件不存在：{args.evidence}")
        with args.evidence.open("rb") as handle:
            entry = adjustment_record(
                campaign=campaign_row,
                unit=unit,
                adjustment_id=args.item,
                date=args.date,
                basis=args.basis,
                evidence=EvidenceUpload(args.evidence.name, args.evidence.stat().st_size, handle),
                actor=_acting(args.as_user),
            )
        return _adjustment_recorded(campaign_row, entry)
    rows = adjustment_rows(campaign_row, adjustment_entries_visible(COMMAND_LINE, campaign_row))
    if args.json:
        return json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=2)
    if not rows:
        return f"{args.year} 年度没有加分、扣分记录"
    lines = ["编号\t单位\t加减分项\t日期\t分值\t依据\t佐证材料"]
    lines += [
        f"{r.entry.pk}\t{r.entry.unit.code} {r.entry.unit.name}\t{r.entry.adjustment_id} "
        f"{r.adjustment.name if r.adjustment else '（细则中已无此项）'}\t{r.entry.date:%Y-%m-%d}\t"
        f"{signed2(r.points)}\t{r.entry.basis}\t{r.entry.original_name}"
        for r in rows
    ]
    return "\n".join(lines)


def objections(args: argparse.Namespace) -> str:
    import json

    from kaoping.assessments.objections import objection_rows, objections_visible
    from kaoping.campaigns.services import campaign_for_year
    from kaoping.org.policy import COMMAND_LINE

    campaign_row = campaign_for_year(args.year)
    rows = objection_rows(objections_visible(COMMAND_LINE, campaign_row, status=args.status or ""))
    if args.json:
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if not rows:
        return f"{args.year} 年度没有{'符合条件的' if args.status else ''}申诉"
    lines = ["编号\t单位\t条目\t申诉分数\t答复\t得分（原 → 现）\t申诉时间\t答复时间\t答复理由"]
    for r in rows:
        change = (
            f"{r['score_before']} → {r['score_after']}" if r["decision"] else f"{r['score_before']}（待答复）"
        )
        lines.append(
            f"{r['id']}\t{r['unit_code']} {r['unit_name']}\t{r['item_id']}\t{r['claimed']}\t"
            f"{r['decision_label']}\t{change}\t{r['filed_at']}\t{r['answered_at'] or '—'}\t{r['answer'] or '—'}"
        )
    waiting = sum(1 for r in rows if not r["decision"])
    lines.append(f"共 {len(rows)} 件申诉，未答复 {waiting} 件")
    return "\n".join(lines)


def _adjustment_recorded(campaign_row, entry) -> str:
    from kaoping.assessments.results import unit_result_stored

    declared = campaign_row.rubric.definition.adjustment(entry.adjustment_id)
    result = unit_result_stored(campaign_row, entry.unit)
    counted = result.adjustments[entry.adjustment_id] if result else None
    line = (
        f"已记录（编号 {entry.pk}）：{entry.unit.name} {declared.label}“{declared.name}” "
        f"{entry.date:%Y-%m-%d} {entry.basis}"
    )
    if counted is not None:
        line += f"；本项：{counted.statement}，总分现为 {result.total:.2f}"
    return line


def _output_path(path: Path, suffix: str) -> Path:
    if path.suffix.lower() != suffix:
        raise KaopingError(f"输出文件应以 {suffix} 结尾：{path}")
    if not path.parent.exists():
        raise KaopingError(f"输出目录不存在：{path.parent}")
    return path


def template(args: argparse.Namespace) -> str:
    from kaoping.importing import import_kind
    from kaoping.ledgers.template import write_template
    from kaoping.org.models import Unit

    spec = import_kind(args.kind)
    extra = {}
    if spec.name != "units":
        extra["单位代码"] = list(Unit.objects.values_list("code", flat=True))
    if spec.needs_campaign:
        from kaoping.rubrics.models import Rubric

        rubric = Rubric.objects.order_by("-loaded_at").first()
        if rubric is not None:
            extra["条目"] = [item.id for item in rubric.definition.items]
    path = write_template(spec, _output_path(args.output, ".xlsx"), extra)
    return f"已生成{spec.label}模板：{path}"


def export(args: argparse.Namespace) -> str:
    from kaoping.campaigns.services import campaign_for_year
    from kaoping.documents import notice_write, ranking_workbook_write, rules_write

    campaign_row = campaign_for_year(args.year)
    if args.what == "ranking":
        path = ranking_workbook_write(campaign=campaign_row, path=_output_path(args.output, ".xlsx"))
        return f"已导出排名表：{path}"
    if args.what == "rules":
        path = rules_write(
            campaign=campaign_row,
            path=_output_path(args.output, ".docx"),
            number=args.number,
            issued=args.date,
        )
        return f"已导出考评通知（含细则）：{path}"
    path = notice_write(campaign=campaign_row, path=_output_path(args.output, ".docx"), number=args.number)
    return f"已导出通报：{path}"


def serve(args: argparse.Namespace) -> str:
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from kaoping.wsgi import application

    class _Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            # One request at a time per process (threads 1: gunicorn's sync worker) served in arrival
            # order: with threads, requests in one process share its interpreter lock and all finish
            # late together (20 clients on 2 cores: p95 of the dashboard 290 ms with 2 × 4 threads,
            # 180 ms with 3 × 1). A long import or export holds its worker alone, hence the timeout.
            self.cfg.set("workers", args.workers or (os.cpu_count() or 1) + 1)
            self.cfg.set("threads", args.threads)
            self.cfg.set("timeout", 600)
            self.cfg.set("accesslog", "-")

        def load(self):
            return application

    # The checks before serving opened a connection in this process; the workers are forked from it, and
    # an inherited connection would be one socket shared by every worker (PostgreSQL answered one
    # worker's query to another: wrong rows, 500s and logouts under load). Each worker opens its own.
    connections.close_all()
    print(f"考评系统已启动：http://{args.host}:{args.port}/  （Ctrl+C 停止）", flush=True)
    _Server().run()
    return "已停止"


def user(args: argparse.Namespace) -> str:
    from kaoping.org.services import user_create

    password = args.password or os.environ.get("KAOPING_PASSWORD") or getpass.getpass("密码：")
    created = user_create(
        username=args.username,
        password=password,
        role=args.role,
        unit_code=args.unit,
        department_code=args.department,
        full_name=args.name,
        email=args.email,
    )
    return f"已创建用户 {created.username}（{created.profile.get_role_display()}）"


def token(args: argparse.Namespace) -> str:
    from django.contrib.auth import get_user_model

    from kaoping.api.tokens import api_token_create

    owner = get_user_model().objects.filter(username=args.username).first()
    if owner is None:
        raise KaopingError(f"用户 {args.username} 不存在；可用 kaoping user create 创建")
    plaintext = api_token_create(user=owner, name=args.name)
    return (
        f"已为用户 {owner.username} 创建接口令牌“{args.name.strip()}”。令牌只显示这一次，请妥善保存：\n"
        f"{plaintext}\n调用接口时在请求头中带上 Authorization: Bearer <令牌>"
    )


def audit(args: argparse.Namespace) -> str:
    from kaoping.audit.chain import audit_chain_verify
    from kaoping.campaigns.models import Campaign

    # The heads recorded on approval must still be rows of the chain (a rewritten chain would lose them).
    anchors = dict(Campaign.objects.exclude(audit_head="").values_list("audit_head", "year"))
    if args.year is not None and not Campaign.objects.filter(year=args.year).exists():
        raise KaopingError(f"没有 {args.year} 年度的考评")
    return str(audit_chain_verify(year=args.year, anchors=anchors))


def backup(args: argparse.Namespace) -> str:
    from kaoping.backup import backup_write

    return str(backup_write(path=args.output))


def restore(args: argparse.Namespace) -> str:
    from kaoping.backup import backup_restore

    return str(backup_restore(path=args.file, force=args.force))


def demo(output: Path) -> list[str]:
    from kaoping.demo.run import demo_run

    return demo_run(output)
