"""Print a transcript for one audio file: a quick check of a model on this machine."""

import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from research import audio, audio_store, transcript_export, transcription


class Command(BaseCommand):
    help = "Transcribe an audio file with the configured Whisper model and print the result."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=sorted(transcript_export.FORMATS), default="txt")
        parser.add_argument("--language", default="", help="Force a language (multilingual)")
        parser.add_argument("--model", default="", help="A local CTranslate2 model directory")
        parser.add_argument("--channel", type=int, choices=[0, 1], default=None)
        parser.add_argument(
            "--reference", default="", help="A reference text file: also print the WER"
        )

    def handle(self, *args, path, format, language, model, channel, reference, **options):
        config = transcription.WhisperConfig.from_settings()
        if model:
            from dataclasses import replace

            config = replace(config, model=model)
        try:
            info = audio.probe(
                path, max_bytes=audio_store.max_bytes(), max_seconds=audio_store.max_seconds()
            )
            with tempfile.TemporaryDirectory(prefix="fieldnotes-") as tmp:
                wav = audio.normalise(path, Path(tmp) / "audio.wav", info=info, channel=channel)
                started = time.perf_counter()
                result = transcription.transcribe(wav, config=config, language=language or None)
                elapsed = time.perf_counter() - started
        except audio.AudioError as error:
            raise CommandError(error.message) from error
        except transcription.ModelNotFound as error:
            raise CommandError(str(error)) from error
        self.stdout.write(transcript_export.render(format, _Lines(result.segments)))
        self.stderr.write(
            f"{result.model}, language {result.language}: {result.duration:.1f} s of audio "
            f"in {elapsed:.1f} s"
        )
        if reference:
            text = " ".join(s.text for s in result.segments)
            wer = transcription.word_error_rate(Path(reference).read_text(), text)
            self.stderr.write(f"WER {wer:.3f}")


class _Lines(list):
    """Segments from the model shaped like Segment rows for the exporters."""

    def __init__(self, segments):
        super().__init__(_Line(s) for s in segments)


class _Line:
    speaker = ""
    person_id = None

    def __init__(self, segment):
        self.start, self.end, self.text = segment.start, segment.end, segment.text
