"""Bulk lookups: a pasted list of request numbers and the progress row of each number."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class BulkLookup(models.Model):
    """A pasted list of request numbers fetched in the background (one item row per number)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cust_space_id = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Bulk lookup #{self.pk} ({self.total} numbers, {self.status})"


class BulkLookupItem(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", "Pending"
        FOUND = "found", "Found"
        NOT_FOUND = "not_found", "Not found"
        FAILED = "failed", "Failed"
        INVALID = "invalid", "Not a request number"

    bulk = models.ForeignKey(BulkLookup, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    request_no = models.CharField(max_length=64)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    application = models.ForeignKey(
        "applications.ViberApplication", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error_code = models.CharField(max_length=128, blank=True, default="")
    error_message = models.TextField(blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["bulk", "position"]
        constraints = [models.UniqueConstraint(fields=["bulk", "position"], name="uniq_bulk_item_position")]

    def __str__(self):
        return f"{self.request_no}: {self.outcome}"
