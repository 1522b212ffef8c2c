"""Access-matrix cases, one module per domain (tests/access/test_matrix.py walks them all).

Each module defines `build(team, owner) -> dict[str, Case]`: for every URL name of its domain,
how to reach an object of `team` (created here) and what a member should get.
"""

from dataclasses import dataclass, field


@dataclass
class Case:
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    data: dict = field(default_factory=dict)
    member_status: int = 200
    query: str = ""
    # Team-independent pages (setup, no-team) are checked elsewhere; they are listed so the
    # matrix stays complete.
    skip: str = ""
    # Changes something (or is the form that does): a viewer gets 403.
    writes: bool = False
