"""Print the code the demo users' authenticator app shows now (the published demo key)."""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from accounts.demo import DEMO_TOTP_SECRET

STEP = 30


def demo_code(now: float | None = None) -> tuple[str, int]:
    """The current 6-digit code of the demo key and the seconds it stays valid."""
    totp = TOTP(b32decode(DEMO_TOTP_SECRET), step=STEP, digits=6)
    totp.time = time.time() if now is None else now
    return f"{totp.token():06d}", STEP - int(totp.time) % STEP


class Command(BaseCommand):
    help = "Print the demo users' current sign-in code (the published demo authenticator key; demo only)."

    def handle(self, *args: Any, **options: Any) -> None:
        code, left = demo_code()
        self.stdout.write(f"{code} (the demo users' code for the next {left} s; demo only)")
