"""One transcription job from start to end: claim, transcribe with a heartbeat, then complete
or fail. The task body in ``research.tasks`` calls ``job_run``."""

from __future__ import annotations

import logging
import math
import threading
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection

from research import audio
from research.audio import store as audio_store
from research.models import JobStage, TranscriptionJob
from research.selectors.conversations import conversation_speakers_expected
from research.selectors.glossary import transcription_hints
from research.transcription import jobs
from research.transcription.config import WhisperConfig
from research.transcription.lines import TimedLine
from research.transcription.model import ModelNotFound
from research.transcription.pipeline import transcribe

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    label: str  # what the task result records
    resend: bool = False  # the job went back to the queue: send its task again


class Heartbeat(threading.Thread):
    """Renews the lease and stores progress and stage from a side thread while the model runs.

    The stage is ``loading`` (decoding the audio, loading the model) until the transcriber
    first reports progress, then ``transcribing``; later stages are set with ``stage_set``.
    """

    def __init__(self, job_id: int, token: uuid.UUID) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{job_id}")
        self.job_id, self.token = job_id, token
        self.progress = 0.0
        self.stage: str = JobStage.LOADING
        self.lost = False
        self._stop_event = threading.Event()
        self.period = min(1.0, jobs.lease_seconds() / 3)

    def report(self, fraction: float) -> None:
        """Progress callback for the transcriber; aborts the work once the lease is lost."""
        self.progress = fraction
        if self.stage == JobStage.LOADING:
            self.stage = JobStage.TRANSCRIBING
        if self.lost:
            raise jobs.LeaseLost(f"job {self.job_id} lost its lease")

    def stage_set(self, stage: str, *, write: bool = False) -> None:
        """The stage the next beat stores; `write` stores it now (a short step may end first)."""
        self.stage = stage
        if write:
            jobs.job_stage_set(job_id=self.job_id, token=self.token, stage=stage)

    def run(self) -> None:
        try:
            while not self._stop_event.wait(self.period):
                try:
                    renewed = jobs.job_renew(
                        job_id=self.job_id,
                        token=self.token,
                        progress=self.progress,
                        stage=self.stage,
                    )
                except DatabaseError:
                    # A busy database must not kill the heartbeat; the lease has slack.
                    logger.warning("Heartbeat of job %s could not write; retrying", self.job_id)
                    continue
                if not renewed:
                    self.lost = True
                    return
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=10)


def job_run(*, job_id: int) -> Outcome:
    """Claim the job, transcribe with a heartbeat, then complete or fail it."""
    close_old_connections()
    token = jobs.job_claim(job_id=job_id)
    if token is None:
        return Outcome("skipped: not queued")
    job = TranscriptionJob.objects.select_related("recording__conversation").get(pk=job_id)
    heartbeat = Heartbeat(job_id, token)
    heartbeat.start()
    try:
        done = transcribe_recording(
            job,
            heartbeat.report,
            on_speakers=lambda: heartbeat.stage_set(JobStage.SPEAKERS, write=True),
        )
    except jobs.LeaseLost:
        return Outcome("abandoned: lease lost")
    except (audio.AudioError, ModelNotFound) as error:
        reason = error.message if isinstance(error, audio.AudioError) else str(error)
        jobs.job_fail(job_id=job_id, token=token, reason=reason, permanent=True)
        return Outcome("failed")
    except Exception as error:  # noqa: BLE001 - any other failure is retried, then reported
        logger.exception("Transcription job %s failed", job.uid)
        reason = f"Transcription failed ({type(error).__name__}: {error})"[:1000]
        requeued = jobs.job_fail(job_id=job_id, token=token, reason=reason, permanent=False)
        return Outcome("retry", resend=requeued)
    finally:
        heartbeat.stop()
    try:
        jobs.job_complete(
            job_id=job_id,
            token=token,
            lines=done.lines,
            language=done.language,
            model_name=done.model,
            voices=done.voices,
        )
    except jobs.LeaseLost:
        return Outcome("abandoned: lease lost")
    return Outcome("done")


@dataclass
class Transcribed:
    lines: list[tuple[TimedLine, str]]  # each line with its speaker label
    language: str
    model: str
    voices: dict = field(default_factory=dict)  # what Transcript.voices stores


def transcribe_recording(job: TranscriptionJob, report, on_speakers=None) -> Transcribed:
    """The job's recording as timed lines, each with its speaker label: per channel when the
    job splits a stereo call, else found by speaker detection (``research.speakers``) when
    FIELDNOTES_SPEAKERS is on; plus the language, the model's label and the voices."""
    recording = job.recording
    src = audio_store.path_of(recording)
    # Measured (by decoding) when stored; a recording over the duration cap that its owner
    # chose to transcribe anyway is transcribed up to the cap.
    cap = audio_store.max_seconds()
    info = audio.probe(src, max_bytes=audio_store.max_bytes(), max_seconds=math.inf, decode=False)
    config = WhisperConfig.from_settings(model=job.model_path)
    language = job.language or recording.conversation.language or None
    hints = transcription_hints(team=job.team, conversation=recording.conversation)
    channels: list[int | None] = [0, 1] if job.split_channels and info.channels >= 2 else [None]
    found: list[tuple[TimedLine, str]] = []
    result = None
    for i, channel in enumerate(channels):
        name = "normalised.wav" if channel is None else f"channel{channel}.wav"
        wav = audio_store.derived_path(recording, name)
        if not wav.exists():
            audio.normalise(src, wav, info=info, channel=channel, max_seconds=cap)
        result = transcribe(
            wav,
            config=config,
            language=language,
            progress=lambda f, i=i: report((i + f) / len(channels)),
            hints=hints,
        )
        speaker = "" if channel is None else f"Speaker {i + 1}"
        found += [(line, speaker) for line in result.lines]
    found.sort(key=lambda pair: (pair[0].start, pair[0].end))
    done = Transcribed(found, result.language, result.model)
    if channels == [None] and settings.FIELDNOTES_SPEAKERS and found:
        if on_speakers:
            on_speakers()
        done.lines, done.voices = speakers_find(
            wav,
            [line for line, _ in found],
            max_speakers=conversation_speakers_expected(recording.conversation),
            report=lambda f: report(1.0),
        )
    return done


def speakers_find(
    wav, lines: list[TimedLine], *, max_speakers=None, num_speakers=None, report=None
) -> tuple[list[tuple[TimedLine, str]], dict]:
    """Lines split at speaker changes with their labels, and the voices; on an encoder that
    cannot run, the lines without speakers (the transcript matters more than its labels)."""
    from research.speakers import diarize, voices, words

    try:
        found = diarize.diarize(
            wav, max_speakers=max_speakers, num_speakers=num_speakers, progress=report
        )
    except jobs.LeaseLost:
        raise
    except Exception:  # noqa: BLE001 - speakers are extra: keep the transcript without them
        logger.exception("Speaker detection failed on %s", wav)
        return [(line, "") for line in lines], {}
    return words.assign_words(lines, found.turns), voices.voices_json(found)
