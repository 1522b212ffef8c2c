"""A person's own sign-in: recovery codes for two-factor sign-in (the TOTP device itself is
django-otp's TOTPDevice)."""

from django.conf import settings
from django.db import models


class RecoveryCode(models.Model):
    """One single-use code, stored only as a keyed hash (research/services/accounts.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"recovery code of {self.user} ({'used' if self.used_at else 'unused'})"
