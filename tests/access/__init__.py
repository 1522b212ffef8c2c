"""Access-matrix cases, one module per area.

Each module defines `build(team, owner) -> dict[str, Case]`: for every URL name of its area, how
to reach an object of `team` (created here) and what a member should get.
tests/test_access_matrix.py
walks the URL resolver and fails on any research URL that no module covers.
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
