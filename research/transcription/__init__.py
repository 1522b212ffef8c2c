"""Speech to text with faster-whisper, and the jobs that run it in background workers.

The package owns everything of transcription: ``config`` (settings to a WhisperConfig),
``model`` (the only place that loads faster-whisper), ``windows`` (reading a WAV a window at a
time), ``speech`` (voice activity and the clips the decoder gets), ``decoding`` (batches of
clips on parallel decoders), ``lines`` (timed lines and words), ``pipeline`` (``transcribe``),
``quality`` (word error rate), ``allocator`` (malloc settings for the worker), ``jobs`` (the
lease state machine of a TranscriptionJob) and ``runner`` (one job, start to end).

Nothing is imported here: the worker sets malloc up (``allocator``) before numpy or the model
start any thread, so importing the package must stay cheap. Import the modules themselves.
"""
