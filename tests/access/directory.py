"""Access-matrix cases for projects, organizations and people."""

from research.models import Organization, Person, Project

from . import Case


def object_cases(name: str, obj, *, create: bool = True) -> dict[str, Case]:
    """The list, create, detail, edit and delete pages of one kind of object."""
    cases = {
        f"{name}_list": Case(),
        f"{name}_detail": Case(kwargs={"uid": obj.uid}),
        f"{name}_edit": Case(kwargs={"uid": obj.uid}, writes=True),
        f"{name}_delete": Case(kwargs={"uid": obj.uid}, writes=True),
    }
    if create:
        cases[f"{name}_create"] = Case(writes=True)
    return cases


def build(team, owner) -> dict[str, Case]:
    project = Project.objects.create(team=team, name="Matrix project", slug="matrix-project")
    org = Organization.objects.create(team=team, name="Matrix Org")
    person = Person.objects.create(team=team, name="Matrix Person", organization=org)
    return {
        **object_cases("project", project),
        **object_cases("organization", org),
        **object_cases("person", person),
    }
