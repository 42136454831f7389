"""A partnership's logo for its reports' covers (reviews.logos checks it; reports.render prints
it). Registered through reviews.models."""

from __future__ import annotations

from django.db import models

from casereview.storage import file_path, files_go_with_rows


class PartnershipLogo(models.Model):
    """The partnership's logo for its reports' covers: a PNG or JPEG checked by content when
    uploaded (reviews.logos). A row of its own, so the picture is read only where it is printed."""

    partnership = models.OneToOneField("reviews.Partnership", on_delete=models.CASCADE, related_name="cover_logo")
    file = models.FileField(upload_to=file_path, max_length=200)  # casereview.storage
    content_type = models.CharField(max_length=20)  # "image/png" or "image/jpeg"
    sha256 = models.CharField(max_length=64)  # what a rendered file's fingerprint takes in
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Logo of {self.partnership_id}"


files_go_with_rows(PartnershipLogo)
