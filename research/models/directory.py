"""Who the team talks to: projects, organizations and people."""

from django.db import models
from django.urls import reverse

from .base import TeamScoped


class Project(TeamScoped):
    """A study, an account rollout or an initiative that groups conversations."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    is_archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "slug"], name="project_unique_team_slug")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("research:project_detail", args=[self.uid])


class OrganizationKind(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    PARTNER = "partner", "Partner"
    INTERNAL = "internal", "Internal department"


class Organization(TeamScoped):
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=10, choices=OrganizationKind.choices, default=OrganizationKind.CUSTOMER
    )
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="organization_unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("research:organization_detail", args=[self.uid])


class PersonKind(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    COLLEAGUE = "colleague", "Colleague"
    PARTNER = "partner", "Partner"


class Person(TeamScoped):
    name = models.CharField(max_length=200)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    title = models.CharField("role / title", max_length=200, blank=True)
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=10, choices=PersonKind.choices, default=PersonKind.CUSTOMER)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("research:person_detail", args=[self.uid])
