import csv
from pathlib import Path

import pytest


@pytest.fixture
def loaded(db):
    """The shipped rubric, its departments and the eight 益阳 units, as `kaoping init` leaves them."""
    from kaoping.org.defaults import YIYANG_UNITS
    from kaoping.org.models import Unit
    from kaoping.system import shipped_rubrics_load

    shipped_rubrics_load()
    for code, name in YIYANG_UNITS:
        Unit.objects.get_or_create(code=code, defaults={"name": name})


@pytest.fixture
def campaign(loaded):
    from kaoping.assessments.workflow import campaign_create

    return campaign_create(year=2017)


@pytest.fixture
def write_csv(tmp_path):
    """Write rows (first row = headers) to a UTF-8 CSV and return its path."""

    def write(name: str, rows: list[list], bom: bool = False) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        return path

    return write


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing takes ~0.3 s a user; tests create many users and check no hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
