"""The council's home-support areas, their wards and postcode districts."""

from django.db import models


class Area(models.Model):
    """One of the five home-support areas (002 "Geographic home support model")."""

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    weekly_care_hours = models.PositiveIntegerField(help_text="Council-funded home support hours a week")
    borders = models.ManyToManyField("self", symmetrical=True, blank=True, help_text="Areas next to this one")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Ward(models.Model):
    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)
    locality = models.CharField(max_length=50, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="wards")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PostcodeDistrict(models.Model):
    """The outward part of a postcode (B23) and the area it mostly falls in."""

    code = models.CharField(max_length=4, unique=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="postcode_districts")

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code
