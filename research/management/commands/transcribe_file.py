"""Print a transcript for one audio file: a quick check of a model on this machine."""

import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from research import audio
from research.audio import store as audio_store
from research.exports import transcripts as transcript_export
from research.transcription.config import WhisperConfig
from research.transcription.model import ModelNotFound
from research.transcription.pipeline import transcribe
from research.transcription.quality import word_error_rate


class Command(BaseCommand):
    help = (
        "Transcribe an audio file with the configured Whisper model and print the result; "
        "--format rttm prints who speaks when instead (speaker detection, no transcription)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--format", choices=sorted([*transcript_export.FORMATS, "rttm"]), default="txt"
        )
        parser.add_argument("--language", default="", help="Force a language (multilingual)")
        parser.add_argument("--model", default="", help="A local CTranslate2 model directory")
        parser.add_argument("--channel", type=int, choices=[0, 1], default=None)
        parser.add_argument(
            "--speakers", type=int, default=None, help="rttm: how many speakers there are"
        )
        parser.add_argument(
            "--reference", default="", help="A reference text file: also print the WER"
        )

    def handle(self, *args, path, format, language, model, channel, speakers, reference, **options):
        if speakers is not None and not 1 <= speakers <= 20:
            raise CommandError("--speakers must be between 1 and 20.")
        config = WhisperConfig.from_settings(model=model)
        try:
            info = audio.probe(
                path, max_bytes=audio_store.max_bytes(), max_seconds=audio_store.max_seconds()
            )
            with tempfile.TemporaryDirectory(prefix="fieldnotes-") as tmp:
                wav = audio.normalise(
                    path,
                    Path(tmp) / "audio.wav",
                    info=info,
                    channel=channel,
                    max_seconds=audio_store.max_seconds(),
                )
                started = time.perf_counter()
                if format == "rttm":
                    self._rttm(wav, Path(path).stem, speakers, started)
                    return
                result = transcribe(wav, config=config, language=language or None)
                elapsed = time.perf_counter() - started
        except audio.AudioError as error:
            raise CommandError(error.message) from error
        except ModelNotFound as error:
            raise CommandError(str(error)) from error
        self.stdout.write(transcript_export.render(format, _Lines(result.lines)))
        self.stderr.write(
            f"{result.model}, language {result.language}: {result.duration:.1f} s of audio "
            f"in {elapsed:.1f} s"
        )
        if reference:
            text = " ".join(line.text for line in result.lines)
            wer = word_error_rate(Path(reference).read_text(), text)
            self.stderr.write(f"WER {wer:.3f}")

    def _rttm(self, wav: Path, name: str, speakers: int | None, started: float) -> None:
        """The speaker turns the transcription job would find, as RTTM lines."""
        from research.speakers.diarize import diarize
        from research.speakers.scoring import rttm_lines

        found = diarize(wav, num_speakers=speakers)
        name = "_".join(name.split()) or "audio"
        for line in rttm_lines(name, found.turns):
            self.stdout.write(line)
        self.stderr.write(
            f"{len(found.voices)} speakers, {len(found.turns)} turns "
            f"in {time.perf_counter() - started:.1f} s"
        )


class _Lines(list):
    """Timed lines from the model shaped like Segment rows for the exporters."""

    def __init__(self, lines):
        super().__init__(_Line(line) for line in lines)


class _Line:
    speaker_label = ""

    def __init__(self, line):
        self.start, self.end, self.text = line.start, line.end, line.text
