"""Access-matrix cases for the team glossary: the page, adding and deleting terms."""

from research.models import TermKind
from research.services.glossary import glossary_term_add

from . import Case


def build(team, owner) -> dict[str, Case]:
    entry = glossary_term_add(team=team, term="Matrixly", kind=TermKind.PRODUCT)
    return {
        "glossary_list": Case(),
        "glossary_add": Case(
            method="post",
            data={"term": "Matrix Zentrix", "kind": "product", "note": ""},
            member_status=302,
            writes=True,
        ),
        "glossary_delete": Case(
            kwargs={"uid": entry.uid}, method="post", member_status=302, writes=True
        ),
    }
