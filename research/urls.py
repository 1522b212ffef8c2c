"""Every page and endpoint of the app, a section per domain."""

from django.urls import path

from .views import (
    accounts,
    capture,
    conversations,
    directory,
    features,
    glossary,
    highlights,
    insights,
    photos,
    privacy,
    recordings,
    search,
    speakers,
    tags,
    teams,
    transcripts,
)
from .views.crud import crud_paths

app_name = "research"

teams_urls = [
    path("", teams.dashboard, name="dashboard"),
    path("setup/", teams.setup, name="setup"),
    path("no-team/", teams.no_team, name="no_team"),
    path("team/switch/", teams.team_switch, name="team_switch"),
    path("team/members/", teams.team_members, name="team_members"),
    path("team/invitations/", teams.invitation_create, name="invitation_create"),
    path(
        "team/invitations/<uuid:uid>/withdraw/", teams.invitation_revoke, name="invitation_revoke"
    ),
    path("invitations/<str:token>/", teams.invitation, name="invitation"),
    path("team/settings/", teams.team_settings, name="team_settings"),
    path("team/audit/", teams.audit_trail, name="audit_trail"),
    path("team/members/<uuid:uid>/role/", teams.member_role, name="member_role"),
    path("team/members/<uuid:uid>/remove/", teams.member_remove, name="member_remove"),
    path("team/members/<uuid:uid>/password/", teams.member_password, name="member_password"),
    path("account/password/", teams.password_change, name="password_change"),
]

accounts_urls = [
    path("account/", accounts.account, name="account"),
    path("account/two-factor/", accounts.account_mfa_setup, name="account_mfa_setup"),
    path("account/two-factor/off/", accounts.account_mfa_disable, name="account_mfa_disable"),
    path("account/recovery-codes/", accounts.account_recovery_codes, name="account_recovery_codes"),
]

glossary_urls = [
    path("team/glossary/", glossary.glossary_list, name="glossary_list"),
    path("team/glossary/add/", glossary.glossary_add, name="glossary_add"),
    path("team/glossary/<uuid:uid>/delete/", glossary.glossary_delete, name="glossary_delete"),
]

directory_urls = [
    *crud_paths("projects", directory.PROJECT, directory.project_list, directory.project_detail),
    *crud_paths(
        "organizations",
        directory.ORGANIZATION,
        directory.organization_list,
        directory.organization_detail,
    ),
    *crud_paths("people", directory.PERSON, directory.person_list, directory.person_detail),
]

conversations_urls = [
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
    path("visits/new/", conversations.site_visit, name="site_visit"),
    path("conversations/<uuid:uid>/photos/", photos.photo_add, name="photo_add"),
    path("photos/<uuid:uid>/", photos.photo_image, name="photo_image"),
]

# Capture offline: the service worker (at the root, so its scope covers every page) and the
# web app manifest.
capture_urls = [
    path("sw.js", capture.service_worker, name="service_worker"),
    path("manifest.webmanifest", capture.manifest, name="manifest"),
]

recordings_urls = [
    path(
        "conversations/<uuid:uid>/recordings/upload/",
        recordings.recording_upload,
        name="recording_upload",
    ),
    path(
        "conversations/<uuid:uid>/recordings/start/",
        recordings.recording_start,
        name="recording_start",
    ),
    path("recordings/<uuid:uid>/chunk/", recordings.recording_chunk, name="recording_chunk"),
    path("recordings/<uuid:uid>/finish/", recordings.recording_finish, name="recording_finish"),
    path("recordings/<uuid:uid>/status/", recordings.recording_status, name="recording_status"),
    path("recordings/<uuid:uid>/audio/", recordings.recording_audio, name="recording_audio"),
    path(
        "recordings/<uuid:uid>/over-cap/",
        recordings.recording_over_cap,
        name="recording_over_cap",
    ),
    path(
        "recordings/<uuid:uid>/transcribe/",
        recordings.recording_transcribe,
        name="recording_transcribe",
    ),
]

transcripts_urls = [
    path("lines/<uuid:uid>/", transcripts.segment_edit, name="segment_edit"),
    path(
        "transcripts/<uuid:uid>/speakers/",
        transcripts.transcript_speakers,
        name="transcript_speakers",
    ),
    path(
        "transcripts/<uuid:uid>/export/<str:fmt>/",
        transcripts.transcript_export,
        name="transcript_export",
    ),
]

speakers_urls = [
    path("speakers/<uuid:uid>/rename/", speakers.speaker_rename, name="speaker_rename"),
    path("speakers/<uuid:uid>/map/", speakers.speaker_map, name="speaker_map"),
    path("speakers/<uuid:uid>/merge/", speakers.speaker_merge, name="speaker_merge"),
    path(
        "speakers/<uuid:uid>/confirm/",
        speakers.speaker_voice_confirm,
        name="speaker_voice_confirm",
    ),
    path("transcripts/<uuid:uid>/lines/move/", speakers.lines_move, name="lines_move"),
    path(
        "transcripts/<uuid:uid>/speakers/detect/",
        speakers.speakers_detect,
        name="speakers_detect",
    ),
    path(
        "people/<uuid:uid>/voice-profile/delete/",
        speakers.voice_profile_delete_view,
        name="voice_profile_delete",
    ),
    path("team/voice-matching/", speakers.voice_settings, name="voice_settings"),
]

highlights_urls = [
    path(
        "conversations/<uuid:uid>/highlights/new/",
        highlights.highlight_create,
        name="highlight_create",
    ),
    path("highlights/<uuid:uid>/edit/", highlights.highlight_edit, name="highlight_edit"),
    path("highlights/<uuid:uid>/delete/", highlights.highlight_delete, name="highlight_delete"),
]

insights_urls = [
    path(
        "conversations/<uuid:uid>/insights/",
        insights.conversation_to_insight,
        name="conversation_to_insight",
    ),
    path("insights/", insights.insight_list, name="insight_list"),
    path("insights/new/", insights.insight_create, name="insight_create"),
    path("insights/<uuid:uid>/", insights.insight_detail, name="insight_detail"),
    path("insights/<uuid:uid>/brief.md", insights.insight_brief, name="insight_brief"),
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
]

features_urls = [
    path("features/", features.feature_list, name="feature_list"),
    path("features/<uuid:uid>/", features.feature_detail, name="feature_detail"),
    path(
        "features/<uuid:uid>/insights/",
        features.feature_link_insight,
        name="feature_link_insight",
    ),
    *crud_paths("features", features.FEATURE),
]

# Tag pages live under themes/ so a tag slug can never shadow tags/autocomplete/.
tags_urls = [
    path("tags/autocomplete/", tags.tag_autocomplete, name="tag_autocomplete"),
    path("themes/", tags.tag_list, name="tag_list"),
    path("themes/board/", tags.theme_board, name="theme_board"),
    path("themes/board/move/", tags.board_move, name="board_move"),
    path("themes/t/<str:slug>/", tags.tag_detail, name="tag_detail"),
    path("themes/t/<str:slug>/edit/", tags.tag_edit, name="tag_edit"),
    path("themes/t/<str:slug>/merge/", tags.tag_merge, name="tag_merge"),
]

search_urls = [path("search/", search.search_view, name="search")]

privacy_urls = [
    path("people/<uuid:uid>/erase/", privacy.person_erase, name="person_erase"),
    path(
        "conversations/<uuid:uid>/participants/<uuid:person_uid>/anonymise/",
        privacy.participant_anonymise,
        name="participant_anonymise",
    ),
    path("team/retention/", privacy.retention, name="retention"),
    path(
        "conversations/<uuid:uid>/protect/",
        privacy.conversation_protect,
        name="conversation_protect",
    ),
    path(
        "conversations/<uuid:uid>/redactions/",
        privacy.redaction_review,
        name="redaction_review",
    ),
    path(
        "conversations/<uuid:uid>/redactions/<uuid:batch>/undo/",
        privacy.redaction_undo,
        name="redaction_undo",
    ),
]

urlpatterns = [
    *teams_urls,
    *accounts_urls,
    *glossary_urls,
    *directory_urls,
    *conversations_urls,
    *recordings_urls,
    *capture_urls,
    *transcripts_urls,
    *speakers_urls,
    *highlights_urls,
    *insights_urls,
    *features_urls,
    *tags_urls,
    *search_urls,
    *privacy_urls,
]
