from functools import cached_property, lru_cache

from django.db import models

from .schema import Rubric as RubricDefinition
from .schema import parse_rubric


class Rubric(models.Model):
    """考评细则: the validated TOML text of one rubric; parsed on use."""

    code = models.CharField("细则编号", max_length=50, unique=True)
    title = models.CharField("标题", max_length=200)
    source = models.TextField("细则内容（TOML）")
    loaded_at = models.DateTimeField("载入时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "考评细则"

    def __str__(self) -> str:
        return self.title

    @cached_property
    def definition(self) -> RubricDefinition:
        return _parsed(self.source, self.code)


@lru_cache(maxsize=32)
def _parsed(source: str, code: str) -> RubricDefinition:
    """A rubric's text parsed once per process (the definition is immutable), not once per request."""
    return parse_rubric(source, code)
