"""Writes to a team's glossary."""

from django.core.exceptions import ValidationError
from django.db import transaction

from research.models import GlossaryTerm, Team


@transaction.atomic
def glossary_term_add(*, team: Team, term: str, kind: str, note: str = "") -> GlossaryTerm:
    """Add a term; the same term (ignoring case) twice in a team is refused."""
    term = " ".join(term.split())
    if GlossaryTerm.objects.filter(team=team, term__iexact=term).exists():
        raise ValidationError({"term": f"“{term}” is in the glossary already."})
    entry = GlossaryTerm(team=team, term=term, kind=kind, note=note.strip())
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def glossary_term_delete(*, entry: GlossaryTerm) -> None:
    entry.delete()
