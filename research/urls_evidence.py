"""Highlights, themes (tags), insights and features."""

from django.urls import path

from .views import features, highlights, insights, themes
from .views.crud import crud_paths

urlpatterns = [
    path(
        "conversations/<uuid:uid>/highlights/new/",
        highlights.highlight_create,
        name="highlight_create",
    ),
    path(
        "conversations/<uuid:uid>/insights/",
        insights.conversation_to_insight,
        name="conversation_to_insight",
    ),
    path("highlights/<uuid:uid>/edit/", highlights.highlight_edit, name="highlight_edit"),
    path("highlights/<uuid:uid>/delete/", highlights.highlight_delete, name="highlight_delete"),
    # Tag pages live under themes/ so a tag slug can never shadow tags/autocomplete/.
    path("themes/", themes.tag_list, name="tag_list"),
    path("themes/board/", themes.theme_board, name="theme_board"),
    path("themes/board/move/", themes.board_move, name="board_move"),
    path("themes/t/<str:slug>/", themes.tag_detail, name="tag_detail"),
    path("themes/t/<str:slug>/edit/", themes.tag_edit, name="tag_edit"),
    path("themes/t/<str:slug>/merge/", themes.tag_merge, name="tag_merge"),
    path("insights/", insights.insight_list, name="insight_list"),
    path("insights/new/", insights.insight_create, name="insight_create"),
    path("insights/<uuid:uid>/", insights.insight_detail, name="insight_detail"),
    *crud_paths("insights", insights.INSIGHT, create=False),
    path("insights/<uuid:uid>/evidence/", insights.insight_attach, name="insight_attach"),
    path(
        "insights/<uuid:uid>/evidence/<uuid:highlight_uid>/remove/",
        insights.insight_detach,
        name="insight_detach",
    ),
    path(
        "insights/<uuid:uid>/conversations/<uuid:conversation_uid>/remove/",
        insights.insight_detach_conversation,
        name="insight_detach_conversation",
    ),
    path("insights/<uuid:uid>/features/", insights.insight_link_feature, name="insight_link"),
    path(
        "insights/<uuid:uid>/features/<uuid:feature_uid>/remove/",
        insights.insight_unlink_feature,
        name="insight_unlink",
    ),
    path("features/", features.feature_list, name="feature_list"),
    path("features/<uuid:uid>/", features.feature_detail, name="feature_detail"),
    *crud_paths("features", features.FEATURE),
]
