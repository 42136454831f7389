"""The demo accounts' second factor: a published authenticator key, so anyone trying the
demo can add it to an authenticator app (or compute codes with oathtool). Like the demo
password, it is public: the demo is never loaded into a database holding real cases."""

from __future__ import annotations

from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

# 20 bytes, in base32 as authenticator apps take it. Documented in README.md.
DEMO_TOTP_SECRET = "CASEREVIEWDEMOKEYCASEREVIEWDEMOK"


def demo_mfa_device(user: User) -> TOTPDevice:
    key = b32decode(DEMO_TOTP_SECRET).hex()
    TOTPDevice.objects.filter(user=user).exclude(key=key).delete()
    device, _ = TOTPDevice.objects.update_or_create(
        user=user, key=key, defaults={"name": "Demo authenticator", "confirmed": True}
    )
    return device
