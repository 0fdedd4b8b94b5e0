from django.db import transaction

from .models import Rubric
from .schema import load_rubric_file, shipped_rubric_files


def rubrics_load_shipped() -> tuple[list[Rubric], list[str]]:
    """Store every shipped rubric file (validated) and the departments it names; idempotent.

    A rubric a campaign already uses is never rewritten (its results were computed from it); a
    changed file is reported instead, to be shipped under a new id.
    """
    stored, warnings = [], []
    with transaction.atomic():
        for path in shipped_rubric_files():
            definition = load_rubric_file(path)
            source = path.read_text(encoding="utf-8")
            rubric = Rubric.objects.filter(code=definition.id).first()
            if rubric is None:
                rubric = Rubric.objects.create(code=definition.id, title=definition.title, source=source)
            elif rubric.source != source:
                if rubric.campaign_set.exists():
                    warnings.append(
                        f"细则 {definition.id} 已被考评年度使用，文件的改动未载入；修订后的细则请使用新的 id"
                    )
                else:
                    rubric.title, rubric.source = definition.title, source
                    rubric.save()
            stored.append(rubric)
    return stored, warnings
