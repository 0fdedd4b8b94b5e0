"""工作事项: 党组听取汇报 by quarter, 业务培训, and the profile's 约谈, 问责 and 数据不实."""

from __future__ import annotations

from datetime import date, timedelta

from .cells import Row, iso
from .unit_year import UnitYear

TRAINING_TOPICS = ("执法监察业务知识", "卫片执法检查", "行政处罚案卷制作", "矿产资源执法")


def event_rows(unit: UnitYear) -> list[Row]:
    p, rng, rows, year = unit.profile, unit.rng, [], unit.year
    for quarter in sorted(rng.sample(range(1, 5), p.briefing_quarters)):
        # Late in the quarter, once there is a quarter's work to report on.
        first = date(year, 3 * quarter - 2, 1) + timedelta(days=30)
        day = unit.day(first, first + timedelta(days=55))
        note = f"局党组会议听取{year}年第{quarter}季度执法监察工作情况汇报，研究解决重大疑难问题"
        rows.append((unit.code, "党组听取汇报", iso(day), note))
    topics = rng.sample(TRAINING_TOPICS, p.trainings)
    days = sorted(unit.day(date(year, 2, 1), date(year, 11, 30)) for _ in topics)
    for n, (day, topic) in enumerate(zip(days, topics, strict=True), start=1):
        rows.append((unit.code, "业务培训", iso(day), f"举办{year}年第{n}期{topic}培训班"))
    if p.summoned:
        day = unit.day(date(year, 4, 1), date(year, 10, 31))
        rows.append((unit.code, "约谈", iso(day), "卫片执法检查违法用地比例偏高，市局约谈局主要负责人"))
    if p.accountable:
        day = unit.day(date(year, 5, 1), date(year, 11, 30))
        rows.append((unit.code, "问责", iso(day), "违法占用耕地建房制止不力，对执法大队负责人问责"))
    if p.false_data:
        day = unit.day(date(year, 11, 15), date(year, 12, 20))
        rows.append((unit.code, "数据不实", iso(day), "自评材料中卫片整改数据与实地核查不符"))
    rows.sort(key=lambda row: row[2])
    return rows
