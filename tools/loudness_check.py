#!/usr/bin/python3
"""Compares Emotune's loudness with FFmpeg's `ebur128` filter, file by file.

For every audio file under the given folders (default: the demo library), runs
`emotune analyze --json` and `ffmpeg -filter_complex ebur128` and prints integrated
loudness (LUFS) and loudness range (LU) side by side, with the largest differences.
The issue's bar: integrated loudness within 0.5 LU of FFmpeg on every demo track.

    /usr/bin/python3 tools/loudness_check.py [--emotune build/release/emotune] [DIR ...]

Needs the `ffmpeg` program (Debian's ffmpeg package); uses only the standard library.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

DEMO = ["/usr/share/games/wesnoth/1.16/data/core/music", "/usr/share/games/hedgewars/Data/Music"]
AUDIO = (".ogg", ".oga", ".opus", ".mp3", ".flac", ".wav", ".aif", ".aiff", ".m4a", ".aac")


def ffmpeg_loudness(path):
    run = subprocess.run(["ffmpeg", "-nostats", "-hide_banner", "-i", path, "-filter_complex", "ebur128",
                          "-f", "null", "-"], capture_output=True, text=True)
    summary = run.stderr[run.stderr.rfind("Summary:"):]
    integrated = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    lra = re.search(r"LRA:\s+(-?[\d.]+) LU", summary)
    if not integrated or not lra:
        raise RuntimeError(f"{path}: no ebur128 summary from ffmpeg")
    return float(integrated.group(1)), float(lra.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emotune", default="build/release/emotune")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count())
    parser.add_argument("dirs", nargs="*", default=DEMO)
    args = parser.parse_args()
    files = sorted(os.path.join(root, f) for d in args.dirs for root, _, names in os.walk(d)
                   for f in names if f.lower().endswith(AUDIO))
    if not files:
        sys.exit("loudness_check: no audio files found")
    ours = {}
    analyze = subprocess.run([args.emotune, "analyze", "--json", *files], capture_output=True, text=True)
    for line in analyze.stdout.splitlines():
        doc = json.loads(line)
        if "loudness_lufs" in doc:
            ours[doc["path"]] = (doc["loudness_lufs"], doc.get("loudness_range_lu"))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        theirs = dict(zip(files, pool.map(ffmpeg_loudness, files)))
    worst_i = worst_lra = 0.0
    within = 0
    print(f"{'file':44} {'ours I':>8} {'ffmpeg I':>9} {'diff':>6}   {'ours LRA':>8} {'ffmpeg LRA':>10} {'diff':>6}")
    for f in files:
        if f not in ours:
            print(f"{os.path.basename(f):44} emotune could not analyse it")
            continue
        (oi, olra), (fi, flra) = ours[f], theirs[f]
        di, dlra = oi - fi, (olra - flra) if olra is not None else float("nan")
        worst_i, worst_lra = max(worst_i, abs(di)), max(worst_lra, abs(dlra))
        within += abs(di) <= 0.5
        print(f"{os.path.basename(f)[:44]:44} {oi:8.2f} {fi:9.1f} {di:+6.2f}   {olra:8.2f} {flra:10.1f} {dlra:+6.2f}")
    print(f"\n{len(files)} files; integrated loudness within 0.5 LU of ffmpeg: {within}/{len(files)}; "
          f"largest difference {worst_i:.2f} LU (integrated), {worst_lra:.2f} LU (range)")
    return 0 if within == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
