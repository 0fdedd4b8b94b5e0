from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "kaoping.inbox"
    label = "inbox"
    verbose_name = "站内消息"
