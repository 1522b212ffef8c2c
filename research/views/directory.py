"""Projects, organizations and people: lists and pages (create/edit/delete in crud)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse_lazy

from research.access import member_required, team_object
from research.forms.directory import OrganizationForm, PersonForm, ProjectForm
from research.models import Organization, OrganizationKind, Person, PersonKind, Project
from research.selectors import directory as selectors
from research.selectors.conversations import ConversationFilters, conversation_list
from research.selectors.speakers import voice_profile_of
from research.services import directory as services

from .crud import ObjectSpec

PROJECT = ObjectSpec(
    Project,
    ProjectForm,
    services.project_create,
    services.project_update,
    services.project_delete,
    reverse_lazy("research:project_list"),
)
ORGANIZATION = ObjectSpec(
    Organization,
    OrganizationForm,
    services.organization_create,
    services.organization_update,
    services.organization_delete,
    reverse_lazy("research:organization_list"),
)
PERSON = ObjectSpec(
    Person,
    PersonForm,
    services.person_create,
    services.person_update,
    services.person_delete,
    reverse_lazy("research:person_list"),
)

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@member_required
def project_list(request):
    page = _page(request, selectors.project_list(team=request.team))
    return render(request, "research/project_list.html", {"page": page})


@member_required
def project_detail(request, uid):
    project = team_object(request, Project, uid=uid)
    conversations = conversation_list(
        team=request.team, filters=ConversationFilters(project=project.slug)
    )
    page = _page(request, conversations)
    return render(request, "research/project_detail.html", {"project": project, "page": page})


@member_required
def organization_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in OrganizationKind.values else ""
    page = _page(request, selectors.organization_list(team=request.team, kind=kind))
    context = {"page": page, "kinds": OrganizationKind.choices, "kind": kind}
    return render(request, "research/organization_list.html", context)


@member_required
def organization_detail(request, uid):
    organization = team_object(request, Organization, uid=uid)
    people = selectors.person_list(team=request.team, organization=str(organization.uid))
    context = {"organization": organization, "people": people}
    return render(request, "research/organization_detail.html", context)


@member_required
def person_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in PersonKind.values else ""
    organization = request.GET.get("organization", "")
    people = selectors.person_list(team=request.team, organization=organization, kind=kind)
    context = {"page": _page(request, people), "kinds": PersonKind.choices, "kind": kind}
    return render(request, "research/person_list.html", context)


@member_required
def person_detail(request, uid):
    person = team_object(request, Person.objects.select_related("organization"), uid=uid)
    conversations = conversation_list(
        team=request.team, filters=ConversationFilters(person=str(person.uid))
    )
    context = {
        "person": person,
        "conversations": conversations[:100],
        "voice_profile": voice_profile_of(person=person),
    }
    return render(request, "research/person_detail.html", context)
