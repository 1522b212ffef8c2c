from research.models import Conversation, Project

from . import Case


def build(team, owner) -> dict[str, Case]:
    project = Project.objects.create(team=team, name="Search matrix", slug="search-matrix")
    Conversation.objects.create(
        team=team, project=project, title="Matrix searchable call", notes="quokka"
    )
    return {"search": Case(query="q=quokka")}
