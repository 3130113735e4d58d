from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "caremarket.payments"
    verbose_name = "Invoices and payments"
