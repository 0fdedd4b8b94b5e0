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


SAMPLE_2017 = Path(__file__).resolve().parents[1] / "src" / "kaoping" / "demo" / "data" / "2017"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def bonus_year(loaded):
    """The demo's 2017 data, every item scored, run on the 2018 example rubric (2017's items and one
    加分项 J1: +1 each, at most 2) while still 考评中; no entries yet. Totals as in the demo: 赫山区 97.25,
    沅江市 95.94 (问责), 资阳区 94.98, 桃江县 92.12, 益阳高新区 86.51, 大通湖区 82.89, 南县 82.21, 安化县 57.95."""
    from kaoping.assessments.workflow import campaign_advance, campaign_create
    from kaoping.campaigns.models import State
    from kaoping.importing import file_import

    campaign = campaign_create(year=2017, rubric_code="yiyang-2018")
    kinds = ("cases", "submissions", "tips", "patches", "events", "casefile-reviews", "self-scores")
    for kind in (*kinds, "review-scores"):
        file_import(kind=kind, path=SAMPLE_2017 / f"{kind}.csv", year=2017)
    return campaign_advance(campaign=campaign, to=State.REVIEW)


@pytest.fixture
def evidence_pdf():
    """An evidence upload (a small PDF) for an adjustment entry."""
    import io

    from kaoping.assessments.adjustments import EvidenceUpload

    def make(name: str = "表扬通报.pdf") -> "EvidenceUpload":
        return EvidenceUpload(name, len(PDF_BYTES), io.BytesIO(PDF_BYTES))

    return make
