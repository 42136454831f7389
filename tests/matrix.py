"""What a row of the permission matrix is (tests/test_permission_matrix.py runs them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import PERSONAS, World

LOGIN = "login"  # a redirect to the sign-in page


def expect(default: int | str, **by_persona: int | str) -> dict[str, int | str]:
    """Expected outcome per persona: anonymous users always go to sign in."""
    outcomes = {persona: default for persona in PERSONAS}
    outcomes["anonymous"] = LOGIN
    outcomes.update(by_persona)
    # Owning agency B's actions adds nothing to agency A's IMR author: the same answers.
    if "author_a_owner_b" not in by_persona:
        outcomes["author_a_owner_b"] = outcomes["author_a"]
    return outcomes


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    args: Callable[[World], list]
    outcomes: dict[str, int | str]
    data: Callable[[World], dict] = field(default=lambda w: {})
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}{' ' + self.label if self.label else ''}"
