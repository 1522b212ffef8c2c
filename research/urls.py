from django.urls import path

from .views import conversations, directory, home, team
from .views.crud import crud_paths

app_name = "research"


urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    path("setup/", home.setup, name="setup"),
    path("no-team/", home.no_team, name="no_team"),
    path("team/switch/", home.team_switch, name="team_switch"),
    path("tags/autocomplete/", home.tag_autocomplete, name="tag_autocomplete"),
    path("team/members/", team.team_members, name="team_members"),
    path("team/members/add/", team.member_add, name="member_add"),
    path("team/members/<uuid:uid>/role/", team.member_role, name="member_role"),
    path("team/members/<uuid:uid>/remove/", team.member_remove, name="member_remove"),
    *crud_paths("projects", directory.PROJECT, directory.project_list, directory.project_detail),
    *crud_paths(
        "organizations",
        directory.ORGANIZATION,
        directory.organization_list,
        directory.organization_detail,
    ),
    *crud_paths("people", directory.PERSON, directory.person_list, directory.person_detail),
    *crud_paths(
        "conversations",
        conversations.CONVERSATION,
        conversations.conversation_list,
        conversations.conversation_detail,
    ),
    path("conversations/<uuid:uid>/consent/", conversations.consent_record, name="consent_record"),
    path(
        "conversations/<uuid:uid>/consent/<uuid:consent_uid>/withdraw/",
        conversations.consent_withdraw,
        name="consent_withdraw",
    ),
]

from . import urls_capture, urls_evidence, urls_search  # noqa: E402

urlpatterns += urls_capture.urlpatterns
urlpatterns += urls_evidence.urlpatterns
urlpatterns += urls_search.urlpatterns
