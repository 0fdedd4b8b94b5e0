"""python -m yeargen --units 122 --year 2017 --seed 1 --format csv -o DIR   (with tools/ on the path)"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .writers import FORMATS
from .year import KINDS, generate_year


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m yeargen", description="生成一个考评年度的模拟导入文件（确定性）"
    )
    parser.add_argument("--units", type=int, default=8, help="单位数（前 8 个为益阳各区县，默认 8）")
    parser.add_argument("--year", type=int, default=2017, help="考评年度（默认 2017）")
    parser.add_argument("--seed", type=int, default=2017, help="随机种子（默认 2017）")
    parser.add_argument("--format", choices=FORMATS, default="csv", help="文件格式（默认 csv）")
    parser.add_argument("--no-scores", action="store_true", help="不生成自评表和考评表")
    parser.add_argument("--no-carryover", action="store_true", help="不生成上一年度立案的案件和登记的线索")
    parser.add_argument("--kinds", help="只生成这些类型，逗号分隔，如 units,cases（行与完整生成相同）")
    parser.add_argument("-o", "--out", type=Path, required=True, help="输出目录")
    args = parser.parse_args(argv)
    only = args.kinds.split(",") if args.kinds else None
    if only and set(only) - set(KINDS):
        parser.error(f"--kinds 可选：{','.join(KINDS)}")
    if args.units < 1:
        parser.error("--units 至少为 1")
    paths = generate_year(
        args.out,
        year=args.year,
        units=args.units,
        seed=args.seed,
        fmt=args.format,
        scores=not args.no_scores,
        carryover=not args.no_carryover,
        only=only,
    )
    for kind, path in paths.items():
        print(f"{kind}\t{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
