from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in. Roles are held per review (ReviewMembership) and per
    partnership (PartnershipMembership), never on the user."""

    email = models.EmailField("email address", unique=True)
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    if TYPE_CHECKING:
        # Set on each request's user by django-otp's OTPMiddleware: whether the session passed the second factor.
        def is_verified(self) -> bool: ...


class Invitation(models.Model):
    """An emailed, single-use link to create an account, from a board administrator.

    Only a hash of the token is stored: someone who reads the database cannot accept an
    invitation. An invitation made from a review's member form carries that review role,
    which is granted when the account is created."""

    class Purpose(models.TextChoices):
        ACCOUNT = "account", "An account"
        # From a review's chair: an account that reads chosen versions of the draft and nothing
        # else (reports.family_models.FamilyReader), never a review role.
        FAMILY_READER = "family_reader", "A family reader's account"

    email = models.EmailField()
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.ACCOUNT)
    partnership = models.ForeignKey("reviews.Partnership", on_delete=models.CASCADE, related_name="invitations")
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    role = models.CharField(max_length=30, blank=True, help_text="The review role granted on acceptance, if any.")
    agency = models.ForeignKey("reviews.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"
