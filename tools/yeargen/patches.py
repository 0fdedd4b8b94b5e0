"""卫片图斑: the year's monitored patches; the illegal ones with the designed shares of dossiers and duty."""

from __future__ import annotations

from .cells import Row, cents, deal, yes
from .unit_year import UnitYear


def patch_rows(unit: UnitYear) -> list[Row]:
    p, rng = unit.profile, unit.rng
    n = p.patches
    illegal = deal(rng, n, p.illegal_share)
    m = sum(illegal)
    flags = iter(
        zip(
            deal(rng, m, p.dossier_share),
            deal(rng, m, p.duty_share),
            deal(rng, m, p.investigated_share),
            deal(rng, m, p.rectified_share),
            strict=True,
        )
    )
    rows = []
    for seq, is_illegal in enumerate(illegal, start=1):
        monitored = 20 + int(rng.random() * rng.random() * rng.random() * 8000) + rng.randrange(300)
        farmland = 0 if rng.random() < 0.3 else int(monitored * rng.random())
        number = f"{unit.code}-{unit.year}-WP{seq:04d}"
        if is_illegal:
            dossiers, duty, investigated, rectified = next(flags)
            patch_dossier = dossiers or rng.random() < 0.5
            case_dossier = dossiers or not patch_dossier
            verdict = "违法"
        else:
            # Nothing to investigate: the dossier of evidence exists, no case file.
            patch_dossier, case_dossier, duty, investigated, rectified = True, False, True, True, True
            verdict = "合法" if rng.random() < 0.8 else "其他"
        rows.append(
            (
                number,
                unit.code,
                verdict,
                cents(monitored),
                cents(farmland),
                yes(duty),
                yes(investigated),
                yes(rectified),
                yes(patch_dossier),
                yes(case_dossier),
            )
        )
    return rows
