#!/usr/bin/python3
"""The audio benchmark's peer: aubio's default tempo tracker (Debian python3-aubio), run
as `aubio tempo` runs it (buffer 1024, hop 512, at the file's own rate, aubio's own
decoding) on the same files. Tempo only: no loudness, key or timbre. Run by
bench/audio_bench, which times the process (CPU, wall, peak RSS); usage:
peer_aubio_tempo.py FILE... Prints: files audio_seconds"""
import sys

import aubio
import numpy as np

HOP = 512
seconds = 0.0
for path in sys.argv[1:]:
    source = aubio.source(path, 0, HOP)
    tracker = aubio.tempo("default", 1024, HOP, source.samplerate)
    beats, frames = [], 0
    while True:
        samples, read = source()
        frames += read
        if tracker(samples)[0] != 0:
            beats.append(tracker.get_last_s())
        if read < HOP:
            break
    # `aubio tempo`'s answer: the mean of 60 / the beat-to-beat intervals.
    bpm = float(np.mean(60.0 / np.diff(beats))) if len(beats) > 1 else None
    seconds += frames / source.samplerate
print(len(sys.argv) - 1, seconds)
