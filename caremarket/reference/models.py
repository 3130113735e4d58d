"""Reference data commissioners keep: the service types and need groups a framework is split by."""

from django.db import models


class ServiceType(models.Model):
    class Setting(models.TextChoices):
        HOME = "home", "In the person's home"
        BED_BASED = "bed_based", "Bed-based (care home)"
        SUPPORTED_LIVING = "supported_living", "Supported living"

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    setting = models.CharField(max_length=20, choices=Setting.choices)
    is_home_support = models.BooleanField(default=False)
    open_to_new_entrants = models.BooleanField(
        default=True, help_text="Whether providers may join the framework for this service at any time"
    )
    max_providers = models.PositiveIntegerField(
        null=True, blank=True, help_text="The most providers that may be approved (blank: no limit)"
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class NeedGroup(models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
