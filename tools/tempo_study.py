#!/usr/bin/python3
"""Tempo and key accuracy of `emotune analyze` on the MIDI music of Debian's freedoom,
rendered to audio with fluidsynth and FluidR3_GM, with aubio's default tempo tracker
(Debian python3-aubio) run on the same renders in the same run as the peer.

    tools/tempo_study.py [--emotune build/release/emotune] [--cache DIR] [--json FILE] [-j N]

Needs `scripts/setup --bench` (freedoom, fluidsynth, fluid-soundfont-gm, python3-aubio).

What it does, with nothing but Debian's python3 (+ numpy/aubio for the peer):
1. Reads the D_* music lumps out of /usr/share/games/doom/freedoom{1,2}.wad (WAD: "IWAD",
   lump count, directory offset; 16-byte directory entries) and keeps the standard MIDI
   ones ("MThd"; freedoom ships no MUS lumps). Lumps with identical bytes are one piece.
2. Parses each MIDI file (a small SMF parser below): ticks per quarter note, tempo
   events, key signatures, notes.
3. Keeps the pieces with a single tempo (every tempo event the same value; some files
   repeat it once per track) and leaves out the 89-ticks-per-quarter files at 95 BPM:
   conversions from Doom's MUS format (140 ticks/s), where the tempo event only encodes
   that tick rate, not the music's beat. On freedoom 0.12.1 that leaves 48 pieces.
4. Renders each with `fluidsynth -ni -F out.wav -r 22050 FluidR3_GM.sf2 file.mid`,
   cached under --cache (default ~/.cache/emotune/tempo-study), never in the repository.
5. Runs `emotune analyze --json` on all renders (CPU time measured), and aubio's
   default tempo tracker (`aubio.tempo("default", 1024, 512, sr)`) on the same files,
   summarised as `aubio tempo` does: the mean of 60 / the beat-to-beat intervals.
6. Prints a table, Acc1 (within 4 % of the MIDI tempo) and Acc2 (within 4 % of ×1, ×2,
   ×½, ×3 or ×⅓) for both, key accuracy (exact / close = exact, relative or a fifth
   away; and the MIREX weighted score) against the MIDI key signature where a piece has
   one, key agreement with a symbolic key estimate of each MIDI file's notes on all
   pieces, and the speed of both; writes the same as JSON (--json).

These renders are Emotune's tuning and validation set for tempo (docs/audio-features.md).
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import resource
import struct
import subprocess
import sys
import time
from pathlib import Path

WADS = ["/usr/share/games/doom/freedoom1.wad", "/usr/share/games/doom/freedoom2.wad"]
SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2"
RATE = 22050
TOLERANCE = 0.04
OCTAVE_FACTORS = (1.0, 2.0, 0.5, 3.0, 1.0 / 3.0)
KEY_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]


# --- WAD -------------------------------------------------------------------------------

def wad_music_lumps(path):
    """(lump name, bytes) of every D_* lump of an IWAD/PWAD."""
    data = Path(path).read_bytes()
    ident, count, directory = struct.unpack_from("<4sii", data, 0)
    if ident not in (b"IWAD", b"PWAD"):
        raise ValueError(f"{path}: not a WAD file")
    for i in range(count):
        offset, size, raw = struct.unpack_from("<ii8s", data, directory + 16 * i)
        name = raw.split(b"\0", 1)[0].decode("ascii")
        if name.startswith("D_") and size > 0:
            yield name, data[offset:offset + size]


# --- MIDI ------------------------------------------------------------------------------

def _varlen(b, i):
    value = 0
    while True:
        c = b[i]
        i += 1
        value = (value << 7) | (c & 0x7F)
        if c < 0x80:
            return value, i


def parse_midi(b):
    """ticks per quarter, [(tick, µs per quarter)], [(tick, sharps, minor)], notes as
    [(start tick, end tick, channel, pitch)]."""
    if b[:4] != b"MThd":
        raise ValueError("not a standard MIDI file")
    header_len = struct.unpack_from(">I", b, 4)[0]
    _fmt, ntracks, division = struct.unpack_from(">hhh", b, 8)
    if division <= 0:
        raise ValueError("SMPTE time division")
    i = 8 + header_len
    tempos, keys, notes = [], [], []
    tracks = 0
    while i + 8 <= len(b) and tracks < ntracks:
        chunk, length = struct.unpack_from(">4sI", b, i)
        i += 8
        end = min(len(b), i + length)
        if chunk != b"MTrk":
            i = end
            continue
        tracks += 1
        j, tick, status = i, 0, None
        sounding = {}
        while j < end:
            delta, j = _varlen(b, j)
            tick += delta
            byte = b[j]
            if byte == 0xFF:
                kind = b[j + 1]
                length, j = _varlen(b, j + 2)
                payload = b[j:j + length]
                j += length
                if kind == 0x51 and length == 3:
                    tempos.append((tick, int.from_bytes(payload, "big")))
                elif kind == 0x59 and length == 2:
                    keys.append((tick, struct.unpack("b", payload[:1])[0], payload[1]))
                elif kind == 0x2F:
                    break
                continue
            if byte in (0xF0, 0xF7):
                length, j = _varlen(b, j + 1)
                j += length
                continue
            if byte & 0x80:
                status = byte
                j += 1
            if status is None:
                raise ValueError("data byte without a status")
            kind, channel = status & 0xF0, status & 0x0F
            if kind in (0xC0, 0xD0):
                j += 1
                continue
            d1, d2 = b[j], b[j + 1]
            j += 2
            if kind == 0x90 and d2 > 0:
                sounding.setdefault((channel, d1), []).append(tick)
            elif kind == 0x80 or (kind == 0x90 and d2 == 0):
                starts = sounding.get((channel, d1))
                if starts:
                    notes.append((starts.pop(0), tick, channel, d1))
        i = end
    return division, tempos, keys, notes


def key_of_signature(sharps, minor):
    """The tonic pitch class and mode (1 major, 0 minor) a key signature names."""
    major_tonic = (7 * sharps) % 12
    return ((major_tonic + 9) % 12, 0) if minor else (major_tonic, 1)


# Krumhansl & Kessler 1982 and Temperley 1999, as in src/audio/key_estimator.cpp.
KK = ([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
      [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def _pearson(x, y):
    mx, my = sum(x) / len(x), sum(y) / len(y)
    cov = sum((a - mx) * (b - my) for a, b in zip(x, y))
    vx = sum((a - mx) ** 2 for a in x)
    vy = sum((b - my) ** 2 for b in y)
    return cov / (vx * vy) ** 0.5 if vx > 0 and vy > 0 else 0.0


def symbolic_key(notes):
    """Krumhansl–Schmuckler on the MIDI notes themselves (duration-weighted pitch classes,
    drums on channel 10 left out): a second, symbolic opinion, not ground truth."""
    histogram = [0.0] * 12
    for start, end, channel, pitch in notes:
        if channel != 9:
            histogram[pitch % 12] += max(1, end - start)
    best = None
    for tonic in range(12):
        for mode, profile in ((1, KK[0]), (0, KK[1])):
            rotated = [profile[(pc - tonic) % 12] for pc in range(12)]
            score = _pearson(histogram, rotated)
            if best is None or score > best[0]:
                best = (score, tonic, mode)
    return best[1], best[2]


def key_relation(estimate, reference):
    """'exact', 'fifth', 'relative', 'parallel' or 'other' (MIREX key categories)."""
    (k, m), (rk, rm) = estimate, reference
    if (k, m) == (rk, rm):
        return "exact"
    if m == rm and (k - rk) % 12 in (5, 7):
        return "fifth"
    if m != rm and ((rm == 1 and k == (rk + 9) % 12) or (rm == 0 and k == (rk + 3) % 12)):
        return "relative"
    if m != rm and k == rk:
        return "parallel"
    return "other"


MIREX_WEIGHT = {"exact": 1.0, "fifth": 0.5, "relative": 0.3, "parallel": 0.2, "other": 0.0}


# --- the pieces --------------------------------------------------------------------------

def collect_pieces(out_dir):
    """Every distinct MIDI lump, parsed, with why it is in or out of the tempo set."""
    pieces, seen, counts = [], {}, {"lumps": 0, "mus_format": 0, "duplicates": 0}
    for wad in WADS:
        stem = Path(wad).stem
        for name, data in wad_music_lumps(wad):
            counts["lumps"] += 1
            if data[:4] == b"MUS\x1a":
                counts["mus_format"] += 1  # none in freedoom 0.12.1; no MUS->MIDI converter here
                continue
            digest = hashlib.sha1(data).hexdigest()
            label = f"{stem}:{name}"
            if digest in seen:
                counts["duplicates"] += 1
                seen[digest]["same_as"].append(label)
                continue
            division, tempos, keys, notes = parse_midi(data)
            path = out_dir / f"{stem}-{name}-{digest[:8]}.mid"
            if not path.exists():
                path.write_bytes(data)
            bpms = sorted({round(60e6 / us, 3) for _, us in tempos})
            signatures = sorted({(s, mi) for _, s, mi in keys})
            piece = {"name": label, "sha1": digest, "midi": str(path), "ticks_per_quarter": division,
                     "tempo_events": len(tempos), "tempos_bpm": bpms, "key_signatures": signatures,
                     "notes": len(notes), "same_as": []}
            if division == 89 and bpms == [95.0]:
                piece["excluded"] = "MUS conversion (89 ticks per quarter at 95 BPM = 140 ticks/s)"
            elif len(bpms) != 1:
                piece["excluded"] = f"{len(bpms)} different tempi" if bpms else "no tempo event"
            piece["true_bpm"] = bpms[0] if len(bpms) == 1 else None
            if len(signatures) == 1:
                piece["signature_key"] = key_of_signature(*signatures[0])
            piece["symbolic_key"] = symbolic_key(notes)
            seen[digest] = piece
            pieces.append(piece)
    return pieces, counts


def render(piece, wav_dir):
    wav = wav_dir / (Path(piece["midi"]).stem + f"-{RATE}.wav")
    if not wav.exists():
        partial = wav.with_suffix(".part.wav")
        subprocess.run(["fluidsynth", "-ni", "-q", "-F", str(partial), "-r", str(RATE), SOUNDFONT, piece["midi"]],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        partial.rename(wav)
    return str(wav)


# --- the two tempo readers ---------------------------------------------------------------

def run_emotune(emotune, wavs, jobs):
    """{path: analysis} and the CPU and wall seconds all analyses took."""
    chunks = [wavs[i::jobs] for i in range(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    procs = [subprocess.Popen([emotune, "analyze", "--json", *chunk], stdout=subprocess.PIPE, text=True)
             for chunk in chunks if chunk]
    results = {}
    for p in procs:
        out, _ = p.communicate()
        if p.returncode != 0:
            sys.exit(f"tempo_study: emotune analyze failed (exit {p.returncode})")
        for line in out.splitlines():
            row = json.loads(line)
            results[row["path"]] = row
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return results, cpu, wall


def aubio_tempo(path):
    """aubio's default tempo tracker as `aubio tempo` runs it (buf 1024, hop 512),
    summarised as its CLI does: mean of 60 / beat intervals. Also its median, and the
    CPU seconds it took."""
    import aubio
    import numpy as np
    start = time.process_time()
    source = aubio.source(path, 0, 512)
    tracker = aubio.tempo("default", 1024, 512, source.samplerate)
    beats = []
    while True:
        samples, read = source()
        if tracker(samples)[0] != 0:
            beats.append(tracker.get_last_s())
        if read < 512:
            break
    cpu = time.process_time() - start
    if len(beats) < 2:
        return None, None, cpu
    bpms = 60.0 / np.diff(beats)
    return float(np.mean(bpms)), float(np.median(bpms)), cpu


def _aubio_worker(path):
    return path, aubio_tempo(path)


def run_aubio(wavs, jobs):
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        results = dict(pool.map(_aubio_worker, wavs))
    return results, sum(r[2] for r in results.values()), time.perf_counter() - start


def accuracy(estimate, truth):
    if estimate is None:
        return False, False
    acc1 = abs(estimate - truth) <= TOLERANCE * truth
    acc2 = any(abs(estimate - f * truth) <= TOLERANCE * f * truth for f in OCTAVE_FACTORS)
    return acc1, acc2


# --- main --------------------------------------------------------------------------------

def main():
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--emotune", default=str(root / "build/release/emotune"))
    parser.add_argument("--cache", default=os.path.join(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"),
                                                        "emotune", "tempo-study"))
    parser.add_argument("--json", help="write the summary and every piece's figures here")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    for need in WADS + [SOUNDFONT]:
        if not os.path.exists(need):
            sys.exit(f"tempo_study: {need} is missing; run scripts/setup --bench")
    if not os.access(args.emotune, os.X_OK):
        sys.exit(f"tempo_study: {args.emotune} is not built (cmake --build --preset release)")

    cache = Path(args.cache)
    (cache / "midi").mkdir(parents=True, exist_ok=True)
    (cache / "wav").mkdir(parents=True, exist_ok=True)
    pieces, counts = collect_pieces(cache / "midi")
    study = [p for p in pieces if "excluded" not in p]
    mus = sum(1 for p in pieces if p.get("excluded", "").startswith("MUS"))
    multi = sum(1 for p in pieces if "excluded" in p and not p["excluded"].startswith("MUS"))
    print(f"freedoom: {counts['lumps']} music lumps, {counts['duplicates']} byte-identical duplicates, "
          f"{len(pieces)} distinct MIDI pieces; left out {mus} MUS conversions (89 tpq, 95 BPM) and "
          f"{multi} with several tempi: {len(study)} pieces")

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        wavs = list(pool.map(lambda p: render(p, cache / "wav"), study))
    for p, w in zip(study, wavs):
        p["wav"] = w
    print(f"renders: {cache / 'wav'} ({time.perf_counter() - start:.1f} s, cached)")

    ours, ours_cpu, ours_wall = run_emotune(args.emotune, wavs, args.jobs)
    theirs, aubio_cpu, aubio_wall = run_aubio(wavs, args.jobs)
    audio_s = sum(ours[w]["duration_s"] for w in wavs)

    print(f"\n{'piece':<20} {'tpq':>4} {'true':>6} | {'emotune':>7} {'':2} | {'aubio':>7} {'':2} | "
          f"{'signature':<9} {'symbolic':<9} {'emotune':<9}")
    tally = {"ours": [0, 0], "aubio": [0, 0], "aubio_median": [0, 0]}
    key_rel_sig, key_rel_sym = [], []
    for p, w in zip(study, wavs):
        truth = p["true_bpm"]
        est = ours[w]["tempo_bpm"]
        a_mean, a_median, _ = theirs[w]
        o1, o2 = accuracy(est, truth)
        t1, t2 = accuracy(a_mean, truth)
        for who, (x1, x2) in (("ours", (o1, o2)), ("aubio", (t1, t2)), ("aubio_median", accuracy(a_median, truth))):
            tally[who][0] += x1
            tally[who][1] += x2
        key = None
        if ours[w]["key"] is not None:
            key = (KEY_NAMES.index(ours[w]["key"]), 1 if ours[w]["mode"] == "major" else 0)
        sig = p.get("signature_key")
        sym = tuple(p["symbolic_key"])
        rel_sig = key_relation(key, sig) if key and sig else ("other" if sig else None)
        rel_sym = key_relation(key, sym) if key else "other"
        if rel_sig:
            key_rel_sig.append(rel_sig)
        key_rel_sym.append(rel_sym)
        p.update({"emotune_bpm": est, "emotune_confidence": ours[w]["tempo_confidence"], "aubio_bpm": a_mean,
                  "aubio_median_bpm": a_median, "emotune_acc1": o1, "emotune_acc2": o2, "aubio_acc1": t1,
                  "aubio_acc2": t2, "duration_s": ours[w]["duration_s"],
                  "emotune_key": key, "key_vs_signature": rel_sig, "key_vs_symbolic": rel_sym})

        def mark(x1, x2):
            return "1" if x1 else ("2" if x2 else "-")

        def name(k):
            return f"{KEY_NAMES[k[0]]}{'' if k[1] else 'm'}" if k else "-"
        print(f"{p['name']:<20} {p['ticks_per_quarter']:>4} {truth:>6.1f} | "
              f"{est if est is not None else float('nan'):>7.2f} {mark(o1, o2):>2} | "
              f"{a_mean if a_mean is not None else float('nan'):>7.2f} {mark(t1, t2):>2} | "
              f"{name(sig):<9} {name(sym):<9} {name(key):<9}")

    n = len(study)

    def key_summary(relations):
        m = len(relations)
        exact = sum(r == "exact" for r in relations)
        close = sum(r in ("exact", "fifth", "relative") for r in relations)
        mirex = sum(MIREX_WEIGHT[r] for r in relations)
        return {"files": m, "exact": exact, "close": close, "exact_rate": exact / m if m else None,
                "close_rate": close / m if m else None, "mirex_score": mirex / m if m else None}

    summary = {
        "pieces": n, "lumps": counts["lumps"], "duplicates": counts["duplicates"], "distinct": len(pieces),
        "excluded_mus_conversions": mus, "excluded_several_tempi": multi, "audio_seconds": audio_s,
        "emotune": {"acc1": tally["ours"][0] / n, "acc2": tally["ours"][1] / n, "cpu_s": ours_cpu,
                    "wall_s": ours_wall, "x_realtime_per_core": audio_s / ours_cpu},
        "aubio": {"acc1": tally["aubio"][0] / n, "acc2": tally["aubio"][1] / n, "cpu_s": aubio_cpu,
                  "wall_s": aubio_wall, "x_realtime_per_core": audio_s / aubio_cpu,
                  "median_of_beats": {"acc1": tally["aubio_median"][0] / n, "acc2": tally["aubio_median"][1] / n}},
        "key_vs_signature": key_summary(key_rel_sig),
        "key_vs_symbolic": key_summary(key_rel_sym),
        "load_average": os.getloadavg(),
    }
    print(f"\n(1 = Acc1, 2 = only Acc2, - = neither; tolerance {TOLERANCE:.0%})")
    print(f"tempo on {n} pieces, {audio_s / 60:.1f} min of audio:")
    for who, label, what in (("emotune", "emotune analyze", "full analysis"), ("aubio", "aubio default", "tempo only")):
        s = summary[who]
        print(f"  {label:<16} Acc1 {s['acc1']:.3f} ({tally['ours' if who == 'emotune' else 'aubio'][0]}/{n})  "
              f"Acc2 {s['acc2']:.3f} ({tally['ours' if who == 'emotune' else 'aubio'][1]}/{n})  "
              f"{s['cpu_s']:.1f} CPU s = {s['x_realtime_per_core']:.0f}x real time per core ({what})")
    print(f"  (aubio summarised by the median beat interval instead of `aubio tempo`'s mean: "
          f"Acc1 {summary['aubio']['median_of_beats']['acc1']:.3f}  Acc2 {summary['aubio']['median_of_beats']['acc2']:.3f})")
    for label, k in (("key vs the MIDI key signature", summary["key_vs_signature"]),
                     ("key vs the MIDI notes' symbolic key (Krumhansl-Schmuckler)", summary["key_vs_symbolic"])):
        if k["files"]:
            print(f"{label}: {k['files']} pieces, exact {k['exact']}/{k['files']} ({k['exact_rate']:.3f}), "
                  f"close (exact/relative/fifth) {k['close']}/{k['files']} ({k['close_rate']:.3f}), "
                  f"MIREX score {k['mirex_score']:.3f}")
    print(f"load average during the run: {' '.join(f'{x:.2f}' for x in summary['load_average'])}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"summary": summary, "pieces": pieces}, f, indent=1)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
