from django.apps import AppConfig


class RubricsConfig(AppConfig):
    name = "kaoping.rubrics"
    label = "rubrics"
    verbose_name = "考评细则"
