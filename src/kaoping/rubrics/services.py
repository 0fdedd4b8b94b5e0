from django.db import transaction

from kaoping.org.models import Department

from .models import Rubric
from .schema import load_rubric_file, shipped_rubric_files


def rubrics_load_shipped() -> list[Rubric]:
    """Store every shipped rubric file (validated) and the member departments it names; idempotent."""
    stored = []
    with transaction.atomic():
        for path in shipped_rubric_files():
            definition = load_rubric_file(path)
            rubric, _ = Rubric.objects.update_or_create(
                code=definition.id,
                defaults={"title": definition.title, "source": path.read_text(encoding="utf-8")},
            )
            for department in definition.departments:
                Department.objects.update_or_create(code=department.code, defaults={"name": department.name})
            stored.append(rubric)
    return stored
