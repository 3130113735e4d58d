from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caremarket.accounts"
    label = "accounts"
    verbose_name = "People and sign-in"

    def ready(self):
        from . import sessions, two_factor  # noqa: F401  (each lists or marks a sign-in)
