from django.db import models

from organization.models import Office


class RegistrationCounter(models.Model):
    """Last registration sequence handed out per office per year (row-locked on use)."""

    office = models.ForeignKey(Office, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="one_counter_per_office_year")
        ]

    def __str__(self):
        return f"{self.office_id}/{self.year}: {self.last}"
