from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "kaoping.ledgers"
    label = "ledgers"
    verbose_name = "台帐"
