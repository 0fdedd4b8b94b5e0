"""What the product says the files hold: each kind's columns from the import specs, deadlines from the rubric."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kaoping.rubrics.schema import DATA_DIR as RUBRIC_DIR

if TYPE_CHECKING:
    from kaoping.ledgers.imports import Column

RUBRIC_FILE = RUBRIC_DIR / "yiyang-2017.toml"


def import_columns() -> dict[str, tuple[Column, ...]]:
    """{kind: its columns, key first}, as `kaoping import` reads them; the generator writes the same."""
    from django.apps import apps

    if not apps.ready:  # a bare `python -m yeargen`; under pytest or a Django command it is set up already
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.settings")
        django.setup()
    from kaoping.importing import KINDS

    return {name: kind.columns for name, kind in KINDS.items()}
