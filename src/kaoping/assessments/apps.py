from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "kaoping.assessments"
    label = "assessments"
    verbose_name = "自评与考评"
