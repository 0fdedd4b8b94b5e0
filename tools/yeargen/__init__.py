"""A synthetic assessment year: every import file of formats.md, for the eight 益阳 units or for thousands.

A development tool, not part of the product: the benchmark and the tests use it, and the shipped demo
years (src/kaoping/demo/data/) were written by it. What the files hold comes from the product itself:
each kind's columns from the import specs (`kaoping.importing.KINDS`), the 益阳 units from
`kaoping.org.defaults`, the report due day and the publication window from the rubric.

Deterministic: all randomness comes from `random.Random`, seeded per unit from (seed, year, unit code), and
only from its exact draws (random(), randrange, sample, shuffle, choice), never gauss/log/exp whose last
bits may differ between C libraries; so the same arguments give byte-identical CSV on any platform. Rows
are produced one unit at a time and written straight out: memory does not grow with the number of units.

    PYTHONPATH=tools .venv/bin/python -m yeargen --units 122 --year 2017 --seed 1 --format csv -o DIR
"""

from .specs import RUBRIC_FILE
from .units import unit_list
from .year import KINDS, LEDGER_KINDS, SCORE_KINDS, generate_year

__all__ = ["KINDS", "LEDGER_KINDS", "RUBRIC_FILE", "SCORE_KINDS", "generate_year", "unit_list"]
