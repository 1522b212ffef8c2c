"""What leaves the app as files: transcripts as TXT, SRT or WebVTT."""
