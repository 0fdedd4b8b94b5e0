from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "kaoping.campaigns"
    label = "campaigns"
    verbose_name = "考评年度"
