from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caremarket.accounts"
    label = "accounts"
    verbose_name = "People and sign-in"

    def ready(self):
        from . import sessions  # noqa: F401  (lists each sign-in)
