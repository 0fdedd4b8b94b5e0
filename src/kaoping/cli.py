"""The `kaoping` command: thin over the services; every error a user can cause ends in a Chinese message."""

import argparse
import datetime
import os
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

USAGE_ERROR, INPUT_ERROR = 2, 1


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with its own words in Chinese (usage, section titles, -h)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = "参数", "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> None:
        if message in (f"{_REQUIRED}{SUB_COMMAND}", f"{_REQUIRED}{SUB_ACTION}"):  # no command: list them
            self.print_help(sys.stderr)
            print(f"用法错误：请指定{message[len(_REQUIRED) :]}", file=sys.stderr)
            sys.exit(USAGE_ERROR)
        self.print_usage(sys.stderr)
        print(f"用法错误：{_chinese(message)}\n运行 {self.prog} --help 查看用法", file=sys.stderr)
        sys.exit(USAGE_ERROR)


SUB_COMMAND, SUB_ACTION = "命令", "操作"
_REQUIRED = "the following arguments are required: "
# argparse's own messages (Python 3.11), in the words of our other messages; anything else stays as it is.
_ARGPARSE_MESSAGES = [
    (r"^argument (.+?): ", r"参数 \1："),
    (r"^the following arguments are required: (.+)$", r"缺少必填参数 \1"),
    (r"^one of the arguments (.+) is required$", r"参数 \1 至少要给一个"),
    (r"^unrecognized arguments: (.+)$", r"无法识别的参数 \1"),
    (r"^ambiguous option: (.+) could match (.+)$", r"选项 \1 有歧义，可能是 \2"),
    (r"invalid choice: '(.*)' \(choose from '(.+)'\)$", r"“\1”不是可选的值；可选：\2"),
    (r"invalid int value: '(.*)'$", r"“\1”不是整数"),
    (r"invalid (\w+) value: '(.*)'$", r"“\2”不是有效的值"),
    (r"expected one argument$", r"需要一个值"),
    (r"expected at least one argument$", r"至少需要一个值"),
    (r"expected at most one argument$", r"最多只能有一个值"),
    (r"not allowed with argument (.+)$", r"不能与参数 \1 同时使用"),
    (r"ignored explicit argument '(.*)'$", r"不接受值“\1”"),
]


def _chinese(message: str) -> str:
    message = message.replace("', '", "、").replace(", ", "、")  # lists: choices, missing arguments
    for pattern, replacement in _ARGPARSE_MESSAGES:
        message = re.sub(pattern, replacement, message)
    return message


def _decimal(text: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字") from None
    if not number.is_finite():
        raise argparse.ArgumentTypeError(f"“{text}”不是数字")
    return number


def _at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"应为 1 或更大的整数，而不是 {number}")
    return number


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，应写作 2018-06-30") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kaoping", description="国土资源执法监察工作目标管理考评系统")
    commands = parser.add_subparsers(dest="command", metavar=SUB_COMMAND, parser_class=_Parser, required=True)

    commands.add_parser("init", help="创建或升级数据库，载入考评细则和默认单位")

    rubric = commands.add_parser("rubric", help="考评细则").add_subparsers(
        dest="action", required=True, metavar=SUB_ACTION
    )
    check = rubric.add_parser("check", help="校验细则文件")
    check.add_argument("file", type=Path)
    new = rubric.add_parser("new", help="以上一年度的细则为底稿，生成新年度细则文件")
    new.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="细则",
        help="系统自带细则的编号（如 yiyang-2017）或细则文件",
    )
    new.add_argument("--year", type=int, required=True, help="新年度，如 2018")
    new.add_argument("-o", "--output", type=Path, required=True, help="新细则文件（.toml）")
    new.add_argument("--id", dest="new_id", help="新细则编号（默认把原编号中的年份换成新年度）")
    new.add_argument("--force", action="store_true", help="覆盖已有的文件")

    campaign = commands.add_parser("campaign", help="考评年度").add_subparsers(
        dest="action", required=True, metavar=SUB_ACTION
    )
    create = campaign.add_parser("create", help="开启一个考评年度")
    create.add_argument("--year", type=int, required=True)
    create.add_argument("--rubric", default="yiyang-2017")
    create.add_argument("--pass-min", type=_decimal, default=Decimal(60))
    create.add_argument("--excellent-min", type=_decimal, default=Decimal(90))
    create.add_argument("--excellent-quota", type=int, default=3)
    create.add_argument(
        "--objection-days",
        type=int,
        default=5,
        help="考评结果公示的申诉期（工作日，默认 5；0 表示公示当日截止）",
    )
    advance = campaign.add_parser("advance", help="推进考评状态")
    advance.add_argument("--year", type=int, required=True)
    advance.add_argument("--to", help="目标状态，如 考评中 或 review")

    imp = commands.add_parser("import", help="导入台帐、自评表或考评表")
    kinds = "units cases submissions tips patches events casefile-reviews self-scores review-scores"
    imp.add_argument("kind", help=f"导入类型：{kinds}")
    imp.add_argument("file", type=Path, help=".xlsx 或 UTF-8 编码的 .csv 文件")
    imp.add_argument("--year", type=int, help="年度（卫片图斑、自评表、考评表必填）")
    imp.add_argument(
        "--as", dest="as_user", metavar="用户名", help="以该用户的角色和范围导入（同网页和接口的权限）"
    )

    adjustment = commands.add_parser(
        "adjustment", help="加分和扣分记录（细则中的加分项、扣分项）"
    ).add_subparsers(dest="action", required=True, metavar=SUB_ACTION)
    adjustment_add = adjustment.add_parser("add", help="记录一条加分或扣分（写明依据，附佐证材料）")
    adjustment_add.add_argument("--year", type=int, required=True)
    adjustment_add.add_argument("--unit", required=True, help="单位代码，如 430902")
    adjustment_add.add_argument("--item", required=True, help="细则中加分项或扣分项的编号，如 J1")
    adjustment_add.add_argument("--date", type=_date, required=True, help="依据的日期，如 2018-06-30")
    adjustment_add.add_argument("--basis", required=True, help="依据，如 湘国土资办函〔2018〕12号 通报表扬")
    adjustment_add.add_argument("--evidence", type=Path, required=True, help="佐证材料文件（PDF、图片等）")
    adjustment_add.add_argument("--as", dest="as_user", metavar="用户名", help="以该用户的角色记录")
    adjustment_list = adjustment.add_parser("list", help="列出一个年度的加分和扣分记录")
    adjustment_list.add_argument("--year", type=int, required=True)
    adjustment_list.add_argument("--json", action="store_true")
    adjustment_remove = adjustment.add_parser("remove", help="删除一条误录的加分或扣分记录")
    adjustment_remove.add_argument("entry", type=int, help="记录编号（kaoping adjustment list 中的“编号”）")
    adjustment_remove.add_argument("--reason", required=True, help="删除原因（计入审计日志）")
    adjustment_remove.add_argument("--as", dest="as_user", metavar="用户名", help="以该用户的角色删除")

    objections = commands.add_parser("objections", help="列出一个年度公示期间的申诉及答复")
    objections.add_argument("--year", type=int, required=True)
    objections.add_argument(
        "--status",
        choices=["open", "upheld", "changed"],
        help="只列出：open 未答复、upheld 维持、changed 改分",
    )
    objections.add_argument("--json", action="store_true")

    template = commands.add_parser("template", help="下载空白导入模板")
    template.add_argument("kind", help="导入类型，同 kaoping import")
    template.add_argument("-o", "--output", type=Path, required=True)

    results = commands.add_parser("results", help="考评结果")
    results.add_argument("--year", type=int, required=True)
    results.add_argument("--json", action="store_true")

    export = commands.add_parser("export", help="导出排名表、通报或考评通知（含细则）")
    export.add_argument("what", choices=["ranking", "notice", "rules"])
    export.add_argument("--year", type=int, required=True)
    export.add_argument("-o", "--output", type=Path, required=True)
    export.add_argument(
        "--number",
        help="文号，如 益国土资通〔2018〕1号（通报默认用考评年度设置的通报文号，考评通知默认用依据文号）",
    )
    export.add_argument("--date", type=_date, help="考评通知的成文日期，如 2018-05-03（默认今天）")

    demo = commands.add_parser("demo", help="生成完整的 2017 演示年度")
    demo.add_argument("-o", "--output", type=Path, default=Path("demo-output"))

    serve = commands.add_parser("serve", help="启动网页服务")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=_at_least_one, help="进程数（默认 CPU 核数 + 1）")
    serve.add_argument("--threads", type=_at_least_one, default=1, help="每个进程的线程数（默认 1）")

    user = commands.add_parser("user", help="用户").add_subparsers(
        dest="action", required=True, metavar=SUB_ACTION
    )
    user_create = user.add_parser("create", help="创建用户")
    user_create.add_argument("username")
    user_create.add_argument(
        "--role", required=True, choices=["filler", "assessor", "group", "party", "admin"]
    )
    user_create.add_argument("--unit", help="填报员所属单位代码")
    user_create.add_argument("--department", help="考评员所属成员单位代码，如 zfjc")
    user_create.add_argument("--name", default="", help="姓名")
    user_create.add_argument("--email", default="", help="电子邮箱（kaoping remind 的提醒邮件发到这里）")
    user_create.add_argument("--password", help="不填则从环境变量 KAOPING_PASSWORD 读取或交互输入")

    token = commands.add_parser("token", help="接口令牌").add_subparsers(
        dest="action", required=True, metavar=SUB_ACTION
    )
    token_create = token.add_parser("create", help="为用户创建接口令牌（只显示一次）")
    token_create.add_argument("username")
    token_create.add_argument("--name", required=True, help="用途，如 卫片平台")

    audit = commands.add_parser("audit", help="审计记录").add_subparsers(
        dest="action", required=True, metavar=SUB_ACTION
    )
    audit_verify = audit.add_parser("verify", help="校验审计链是否完整（未被改动、删除或调换）")
    audit_verify.add_argument("--year", type=int, help="同时报告该年度的记录数（仍校验整条链）")

    backup = commands.add_parser("backup", help="备份数据库和佐证材料到一个文件")
    backup.add_argument("-o", "--output", type=Path, required=True, help="备份文件，.tar 或 .tar.gz")
    restore = commands.add_parser("restore", help="从备份文件恢复（先校验整个文件）")
    restore.add_argument("file", type=Path)
    restore.add_argument("--force", action="store_true", help="覆盖已有数据的数据库")

    remind = commands.add_parser(
        "remind", help="发送到期的提醒（站内消息；配置了邮件服务器时同时发邮件），每天运行"
    )
    remind.add_argument("--year", type=int, help="年度（默认：每个尚未审定的年度）")
    remind.add_argument("--dry-run", action="store_true", help="只列出将发送的提醒，不写入、不发邮件")
    remind.add_argument("--today", type=_date, help="按该日期计算到期的提醒（默认今天），如 2018-12-10")
    return parser


def _setup_django(*, creates_database: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.settings")
    from django.conf import settings

    if creates_database and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def _require_initialised() -> None:
    from django.db import connection

    from kaoping.errors import KaopingError

    name = str(connection.settings_dict["NAME"])
    # Checked before connecting: SQLite would create an empty file that every later command trips over.
    if (
        connection.vendor == "sqlite"
        and not connection.creation.is_in_memory_db(name)
        and not Path(name).is_file()
    ):
        raise KaopingError(f"数据库尚未初始化（没有 {name}）；请先运行 kaoping init，或检查 KAOPING_HOME")
    if "campaigns_campaign" not in connection.introspection.table_names():
        raise KaopingError("数据库尚未初始化；请先运行 kaoping init")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _results_table(outcome) -> str:
    from kaoping.scoring.numbers import signed2

    sections = [s.number for s in outcome.rubric.sections]
    adjusted = bool(outcome.rubric.adjustments)  # a 加减分 column only where the rubric declares any
    header = ["名次", "代码", "单位", *[f"{n}" for n in sections], *(["加减分"] if adjusted else []), "总分"]
    header += ["等次", "取消评优"]
    rows = []
    for unit in outcome.units:
        rows.append(
            [
                str(unit.rank) if unit.rank else "—",
                unit.code,
                unit.name,
                *[f"{unit.sections[n]:.2f}" for n in sections],
                *([signed2(unit.adjustments_net)] if adjusted else []),
                f"{unit.total:.2f}",
                unit.grade or "—",
                "、".join(unit.vetoes),
            ]
        )
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    numeric = set(range(3, 3 + len(sections) + 1 + adjusted))
    lines = ["  ".join(_pad(c, widths[i], i in numeric) for i, c in enumerate(header))]
    lines += ["  ".join(_pad(c, widths[i], i in numeric) for i, c in enumerate(r)) for r in rows]
    titles = "；".join(f"{s.number}={s.title}（{s.points}）" for s in outcome.rubric.sections)
    lines.append(f"部分：{titles}")
    for adjustment in outcome.rubric.adjustments:
        lines.append(
            f"{adjustment.label}“{adjustment.name}”：每项{adjustment.kind.verb} {adjustment.points} 分，"
            f"最多{adjustment.kind.verb} {adjustment.max} 分（kaoping adjustment list 列出各条记录）"
        )
    if not outcome.complete:
        missing = sum(u.unscored for u in outcome.units)
        lines.append(f"尚有 {missing} 个条目未评，名次和等次待定")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from kaoping import commands

    if args.command == "rubric":
        print(commands.rubric(args))
        return 0
    _setup_django(creates_database=args.command in ("init", "demo"))
    if args.command == "init":
        from kaoping.system import system_init

        print("\n".join(system_init()))
        return 0
    if args.command == "demo":
        print("\n".join(commands.demo(args.output)))
        return 0
    if args.command == "restore":  # into an empty or new database: it checks and migrates the target itself
        print(commands.restore(args))
        return 0
    _require_initialised()
    if args.command == "results":
        outcome = commands.results(args.year)
        if args.json:
            import orjson

            from kaoping.scoring.outcome import outcome_to_json

            # orjson writes what json.dumps(…, ensure_ascii=False, indent=2) would, byte for byte, in C.
            sys.stdout.flush()
            sys.stdout.buffer.write(
                orjson.dumps(outcome_to_json(outcome), option=orjson.OPT_INDENT_2) + b"\n"
            )
            sys.stdout.buffer.flush()
        else:
            print(_results_table(outcome))
        return 0
    handlers = {
        "campaign": commands.campaign,
        "adjustment": commands.adjustment,
        "objections": commands.objections,
        "import": commands.import_file,
        "template": commands.template,
        "export": commands.export,
        "serve": commands.serve,
        "user": commands.user,
        "token": commands.token,
        "audit": commands.audit,
        "backup": commands.backup,
        "remind": commands.remind,
    }
    print(handlers[args.command](args))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from django.db import DatabaseError

    from kaoping.errors import KaopingError, busy_from
    from kaoping.rubrics.schema import RubricError

    try:
        return run(args)
    except RubricError as exc:
        print(f"{exc.source}：发现 {len(exc.problems)} 处问题：", file=sys.stderr)
        print("\n".join(f"  - {p}" for p in exc.problems), file=sys.stderr)
        return INPUT_ERROR
    except KaopingError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_status
    except DatabaseError as exc:
        busy = busy_from(exc)  # another write held the database past the wait: the same command may be rerun
        if busy is not None:
            print(f"错误：{busy}", file=sys.stderr)
            return busy.exit_status
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(
            f"错误：数据库操作失败（{first}）。请检查 DATABASE_URL 或 KAOPING_HOME 是否正确、数据库是否在运行，"
            "并运行 kaoping init",
            file=sys.stderr,
        )
        return INPUT_ERROR
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except Exception as exc:  # a defect of ours: say so plainly, keep the traceback for whoever debugs it
        if os.environ.get("KAOPING_DEBUG") == "1":
            raise
        print(
            f"错误：系统内部错误（{type(exc).__name__}: {exc}）。请把这条信息和所用命令告知系统管理员；"
            "设置 KAOPING_DEBUG=1 可查看详细信息",
            file=sys.stderr,
        )
        return INPUT_ERROR


if __name__ == "__main__":
    sys.exit(main())
