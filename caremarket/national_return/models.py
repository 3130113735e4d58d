"""How Caremarket's own values become the CLD return's codes: data a council keeps (Other
settings), never code, because its reading of the specification may differ from ours."""

from django.db import models


class CodeMapping(models.Model):
    class Kind(models.TextChoices):
        SERVICE_TYPE = "service_type", "Service type (from our service type)"
        SERVICE_COMPONENT = "service_component", "Service component (from our service type)"
        DELIVERY_MECHANISM = "delivery_mechanism", "Delivery mechanism (from how the care was placed)"
        EVENT_OUTCOME = "event_outcome", "Event outcome (from why the care ended)"
        COST_FREQUENCY = "cost_frequency", "Cost frequency (from how the care is priced)"
        CARER_SUPPORT = "carer_support", "Carers' support (service type, component, delivery, frequency)"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    ours = models.CharField("Caremarket's value", max_length=60,
                            help_text="A service type's code, a route, an end cause, hourly or weekly, or for "
                                      "carers' support: service_type, service_component, delivery_mechanism or "
                                      "cost_frequency")
    theirs = models.CharField("The return's code", max_length=100)

    class Meta:
        ordering = ["kind", "ours"]
        constraints = [models.UniqueConstraint(fields=["kind", "ours"], name="one_code_for_each_value")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.ours} → {self.theirs}"
