"""A person's own sign-in: two-factor (TOTP through django-otp, single-use recovery codes kept
only as keyed hashes), and the audit trail of sign-ins."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_totp.models import TOTPDevice

from research.models import AuditKind, Membership, RecoveryCode, Role, Team

from .audit import audit_record

RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_HASH_SALT = "fieldnotes.recovery-code"


def audit_for_person(
    *, user, kind: str, summary: str, request: HttpRequest | None = None, actor=None
):
    """One event in the trail of each team the person belongs to (one without a team if none),
    so every team's owners see what concerns their members."""
    teams = list(Team.objects.filter(memberships__user=user).order_by("id"))
    for team in teams or [None]:
        audit_record(
            kind=kind,
            summary=summary,
            team=team,
            actor=actor or user,
            target=user.pk,
            request=request,
        )


# --- two-factor devices ---------------------------------------------------------------------


def mfa_device(user) -> TOTPDevice | None:
    """The person's confirmed authenticator, if they set one up."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def mfa_setup_start(*, user) -> TOTPDevice:
    """A fresh, unconfirmed authenticator key to scan; it counts only once a code confirms it."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def mfa_pending_device(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


@transaction.atomic
def mfa_setup_confirm(*, user, token: str, request: HttpRequest | None = None) -> list[str]:
    """Confirm the scanned key with a code from the app; returns new recovery codes (shown once)."""
    device = mfa_pending_device(user=user)
    if device is None:
        raise ValidationError("Start the set-up again: no authenticator key is waiting.")
    if not device.verify_token(_digits(token)):
        raise ValidationError(
            {"token": "That code does not match. Check the app's clock and try again."}
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user)
    audit_for_person(
        user=user, kind=AuditKind.MFA, summary="Two-factor sign-in turned on", request=request
    )
    return codes


def mfa_required_by_a_team(user) -> bool:
    return Membership.objects.filter(
        user=user, role=Role.OWNER, team__require_owner_mfa=True
    ).exists()


@transaction.atomic
def mfa_disable(*, user, request: HttpRequest | None = None) -> None:
    if mfa_required_by_a_team(user):
        raise ValidationError("A team you own requires two-factor sign-in for its owners.")
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_for_person(
        user=user, kind=AuditKind.MFA, summary="Two-factor sign-in turned off", request=request
    )


@transaction.atomic
def recovery_codes_regenerate(*, user, request: HttpRequest | None = None) -> list[str]:
    if mfa_device(user) is None:
        raise ValidationError("Turn on two-factor sign-in first.")
    codes = _recovery_codes_replace(user)
    audit_for_person(
        user=user, kind=AuditKind.MFA, summary="New recovery codes made", request=request
    )
    return codes


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _recovery_hash(user, code: str) -> str:
    normalised = code.strip().lower().replace("-", "").replace(" ", "")
    return salted_hmac(_HASH_SALT, f"{user.pk}:{normalised}", algorithm="sha256").hexdigest()


def _recovery_codes_replace(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(user, code)) for code in codes
    )
    return codes


def _digits(token: str) -> str:
    return "".join(ch for ch in str(token) if not ch.isspace())[:20]


def mfa_verify(*, user, code: str) -> str | None:
    """'totp' or 'recovery' if the code signs the person in, else None. A recovery code is
    used up by the one request that marks it (a conditional update, safe against a race)."""
    code = _digits(code)
    if not code:
        return None
    device = mfa_device(user)
    if device is None:
        return None
    if code.isdigit() and len(code) == device.digits:
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(code):
            return "totp"
        return None
    marked = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(user, code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return "recovery" if marked == 1 else None


# --- the audit trail of sign-ins (connected to django.contrib.auth's signals in apps.py) -----


def signin_recorded(sender, request=None, user=None, **kwargs) -> None:
    if user is not None:
        audit_for_person(user=user, kind=AuditKind.SIGN_IN, summary="Signed in", request=request)


def signin_failure_recorded(sender, credentials=None, request=None, **kwargs) -> None:
    username = str((credentials or {}).get("username") or "")[:150]
    reason = (credentials or {}).get("reason") or "wrong password"
    if request is not None and getattr(request, "axes_locked_out", False):
        reason = "locked out"
    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is None:
        # Unknown names are kept for the admin (no team sees them).
        audit_record(
            kind=AuditKind.SIGN_IN_FAILED,
            summary=f"Failed sign-in as an unknown name ({reason})",
            target=username[:64],
            request=request,
            actor=None,
        )
        return
    audit_for_person(
        user=user,
        kind=AuditKind.SIGN_IN_FAILED,
        summary=f"Failed sign-in ({reason})",
        request=request,
    )
