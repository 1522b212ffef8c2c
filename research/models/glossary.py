"""A team's glossary: names and words Whisper should listen for when it transcribes."""

from django.db import models
from django.db.models.functions import Lower

from .base import TeamScoped


class TermKind(models.TextChoices):
    PRODUCT = "product", "Product"
    CUSTOMER = "customer", "Customer"
    PERSON = "person", "Person"
    JARGON = "jargon", "Jargon"


class GlossaryTerm(TeamScoped):
    term = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=TermKind.choices, default=TermKind.PRODUCT)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "team", Lower("term"), name="glossary_term_unique_per_team_ignoring_case"
            )
        ]

    def __str__(self) -> str:
        return self.term
