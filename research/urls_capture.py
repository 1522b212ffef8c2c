from django.urls import path

from .views import recordings, transcripts

urlpatterns = [
    path("visits/new/", transcripts.site_visit, name="site_visit"),
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
        "recordings/<uuid:uid>/transcribe/",
        recordings.recording_transcribe,
        name="recording_transcribe",
    ),
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
