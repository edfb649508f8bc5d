"""The one table of the shared helpers: the add forms already saved, by their token."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """An add form saved once (pcn_portal.core.submissions): its one-time token, a digest
    of what it held, and the record it made, so a copy of it sent again (a double click, a
    second tab, a resend) finds that record instead of making another.

    Bookkeeping, not a record of the portal: kept a day (submissions.KEPT_FOR), not in the
    audit history (the record made is) and not in admin."""

    token = models.CharField(max_length=64, unique=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the values the form held.")
    made_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    made_id = models.PositiveBigIntegerField(null=True, blank=True)
    saved_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"Form saved at {self.saved_at:%d %b %Y %H:%M}"

    def made(self):
        """The record the first save made, or None when it has been removed since."""
        if self.made_type is None:
            return None
        model = self.made_type.model_class()
        return model._base_manager.filter(pk=self.made_id).first()
