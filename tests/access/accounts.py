"""Access-matrix cases for a person's own account: two-factor sign-in and recovery codes.

They concern only the signed-in person (no team object in the URL), so an outsider has nothing
to be refused; anonymous visitors are sent to sign in."""

from . import Case


def build(team, owner) -> dict[str, Case]:
    return {
        "account": Case(),
        # Without a key waiting to be confirmed, the set-up page goes back to the account.
        "account_mfa_setup": Case(member_status=302),
        "account_mfa_disable": Case(
            method="post",
            data={"password": "wrong"},
            member_status=400,
            skip="POST only, about oneself: tests/teams/test_two_factor.py",
        ),
        "account_recovery_codes": Case(
            method="post",
            data={"password": "wrong"},
            member_status=400,
            skip="POST only, about oneself: tests/teams/test_two_factor.py",
        ),
    }
