"""The DuckDB reference: the facts of ledgers/facts.py computed by DuckDB from the same generated rows.

No Django here. `load` reads the CSV files into typed tables (not timed); `facts` runs the aggregates and
returns one `UnitFacts` per unit code, which the benchmark compares with kaoping's own facts.
"""

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

from kaoping.scoring.facts import UnitFacts

OVERTURNED = ("撤销", "变更", "确认违法")
ANALYSIS = "形势分析"

# Each table as typed columns over read_csv(all_varchar); 是/否 become booleans, '' becomes NULL.
_TABLES = {
    "units": "单位代码 AS unit",
    "events": "单位代码 AS unit, 类型 AS kind, CAST(日期 AS DATE) AS day",
    "submissions": "单位代码 AS unit, 报表类型 AS kind, 所属期 AS period, "
    "CAST(提交时间 AS TIMESTAMP) AS submitted_at",
    "cases": "单位代码 AS unit, 违法类型 AS violation_type, 发现方式 AS discovery, "
    "是否重大案件 = '是' AS is_major, CAST(立案日期 AS DATE) AS filed_on, 是否公开立案 = '是' AS is_public_filing, "
    "coalesce(处罚程序, '') AS procedure, CAST(处罚决定日期 AS DATE) AS decided_on, "
    "CAST(生效日期 AS DATE) AS effective_on, CAST(网上公布日期 AS DATE) AS published_on, "
    "CAST(结案日期 AS DATE) AS closed_on, 是否公开曝光 = '是' AS is_exposed, CAST(曝光日期 AS DATE) AS exposed_on, "
    "coalesce(复议诉讼结果, '无') AS review_outcome",
    "tips": "单位代码 AS unit, CAST(登记日期 AS DATE) AS registered_on, CAST(办理期限 AS DATE) AS deadline, "
    "CAST(办结日期 AS DATE) AS closed_on, 是否上报支队 = '是' AS reported",
    "casefile-reviews": "单位代码 AS unit, CAST(评查日期 AS DATE) AS reviewed_on, "
    "CAST(评查得分 AS DECIMAL(5, 2)) AS score",
    "patches": "单位代码 AS unit, 判定结果 AS verdict, 是否履职到位 = '是' AS performed, "
    "是否查处到位 = '是' AS investigated, 是否整改到位 = '是' AS rectified, "
    "是否形成卫片卷宗 = '是' AS patch_dossier, 是否形成查处案卷 = '是' AS case_dossier",
}


def load(csv_dir: Path) -> Any:
    """An in-memory DuckDB database holding the ledgers of the generated CSV files."""
    import duckdb

    con = duckdb.connect()
    for kind, columns in _TABLES.items():
        path = str(csv_dir / f"{kind}.csv").replace("'", "''")
        table = kind.replace("-", "_")
        con.execute(
            f"CREATE TABLE {table} AS SELECT {columns} "
            f"FROM read_csv('{path}', all_varchar = true, header = true)"
        )
    return con


def facts(con: Any, year: int, due_day: int, within_days: int) -> dict[str, UnitFacts]:
    """Every unit's facts for the year, as ledgers/facts.py defines them."""
    start, end = f"DATE '{year}-01-01'", f"DATE '{year}-12-31'"

    def in_year(column: str) -> str:
        return f"({column} BETWEEN {start} AND {end})"

    result = {unit: UnitFacts(year=year) for (unit,) in con.execute("SELECT unit FROM units").fetchall()}
    for unit, kind, quarter, n in con.execute(
        f"SELECT unit, kind, quarter(day), count(*) FROM events WHERE {in_year('day')} GROUP BY ALL"
    ).fetchall():
        facts_of = result[unit]
        facts_of.event_counts[kind] = facts_of.event_counts.get(kind, 0) + n
        facts_of.event_quarters.setdefault(kind, set()).add(quarter)

    on_time = f"CAST(submitted_at AS DATE) <= TRY_CAST(period || '-{due_day:02d}' AS DATE)"
    month_bit = "CAST(1 AS BIGINT) << (TRY_CAST(substr(period, 6, 2) AS INTEGER) - 1)"
    for unit, kind, present, in_time, months in con.execute(
        f"SELECT unit, kind, count(*), count(*) FILTER (WHERE kind <> '{ANALYSIS}' AND {on_time}), "
        f"coalesce(bit_or({month_bit}), 0) "
        f"FROM submissions WHERE period LIKE '{year}%' GROUP BY ALL"
    ).fetchall():
        result[unit].reports_present[kind] = present
        if kind != ANALYSIS:
            result[unit].reports_on_time[kind] = in_time
            result[unit].reports_months[kind] = int(months)

    filed = in_year("filed_on")
    exposed = f"is_major AND closed_on IS NOT NULL AND is_exposed AND {in_year('exposed_on')}"
    effective = f"procedure = '一般' AND {in_year('effective_on')}"
    published = f"{effective} AND published_on <= effective_on + INTERVAL {within_days} DAY"
    overturned = f"{in_year('decided_on')} AND review_outcome IN {OVERTURNED}"
    for unit, *counts in con.execute(
        f"""SELECT unit,
            count(*) FILTER (WHERE {filed}),
            count(*) FILTER (WHERE {filed} AND discovery = '动态巡查'),
            count(*) FILTER (WHERE {filed} AND is_major AND is_public_filing),
            count(*) FILTER (WHERE {exposed} AND violation_type = '土地'),
            count(*) FILTER (WHERE {exposed} AND violation_type = '矿产'),
            count(*) FILTER (WHERE {effective}),
            count(*) FILTER (WHERE {published}),
            count(*) FILTER (WHERE {overturned})
        FROM cases GROUP BY unit"""
    ).fetchall():
        f = result[unit]
        (
            f.cases_filed,
            f.cases_filed_by_patrol,
            f.major_public_filings,
            f.land_exposures,
            f.mineral_exposures,
            f.general_decisions_effective,
            f.general_decisions_published_in_time,
            f.decisions_overturned,
        ) = counts

    handled = "closed_on IS NOT NULL AND closed_on <= deadline AND reported"
    for unit, registered, tips_handled in con.execute(
        f"SELECT unit, count(*), count(*) FILTER (WHERE {handled}) FROM tips "
        f"WHERE {in_year('registered_on')} GROUP BY unit"
    ).fetchall():
        result[unit].tips_registered, result[unit].tips_handled = registered, tips_handled

    for unit, reviewed, score_sum in con.execute(
        f"SELECT unit, count(*), sum(score) FROM casefile_reviews WHERE {in_year('reviewed_on')} GROUP BY unit"
    ).fetchall():
        result[unit].casefiles_reviewed = reviewed
        result[unit].casefile_score_sum = Decimal(score_sum).quantize(Decimal("0.01"))

    for unit, *counts in con.execute(
        """SELECT unit, count(*), count(*) FILTER (WHERE patch_dossier AND case_dossier),
            count(*) FILTER (WHERE performed), count(*) FILTER (WHERE investigated),
            count(*) FILTER (WHERE rectified)
        FROM patches WHERE verdict = '违法' GROUP BY unit"""
    ).fetchall():
        f = result[unit]
        (
            f.illegal_patches,
            f.patches_with_both_dossiers,
            f.patches_duty_performed,
            f.patches_investigated,
            f.patches_rectified,
        ) = counts
    return result


def facts_json(unit_facts: UnitFacts) -> dict[str, Any]:
    """A unit's facts as plain JSON values (sets sorted, decimals as text), for comparing two sources."""
    data = dataclasses.asdict(unit_facts)
    data["event_quarters"] = {kind: sorted(q) for kind, q in unit_facts.event_quarters.items()}
    data["casefile_score_sum"] = str(Decimal(unit_facts.casefile_score_sum).quantize(Decimal("0.01")))
    return data


def differences(expected: dict[str, dict], actual: dict[str, dict], limit: int = 5) -> list[str]:
    """Where two sets of facts (by unit code) differ, a few lines for the report; [] when they agree."""
    problems = (
        [f"单位集合不同：{sorted(set(expected) ^ set(actual))[:limit]}"]
        if set(expected) != set(actual)
        else []
    )
    for code in sorted(set(expected) & set(actual)):
        for name, value in expected[code].items():
            if actual[code].get(name) != value:
                problems.append(f"{code} {name}: DuckDB {value!r} ≠ kaoping {actual[code].get(name)!r}")
    return problems[:limit] + ([f"……另有 {len(problems) - limit} 处"] if len(problems) > limit else [])
