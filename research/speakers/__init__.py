"""Who speaks when, offline: a torch-free port of resemblyzer's pretrained voice encoder and the
diarization built on it.

``weights`` (reads ``pretrained.pt`` without torch), ``frontend`` (the 40-band mel
spectrogram), ``encoder`` (the LSTM forward pass in numpy), ``clustering`` (windows to
speakers), ``diarize`` (a WAV to speaker turns and voices), ``words`` (transcript lines split at
speaker changes), ``voices`` (similarity and voice-profile helpers), ``scoring`` (DER, RTTM).

Nothing is imported here, so importing the package stays cheap; import the modules themselves.
"""
