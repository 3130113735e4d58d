from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "caremarket.ledger"
    label = "ledger"
    verbose_name = "The finance ledger"
