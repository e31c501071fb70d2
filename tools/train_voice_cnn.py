#!/usr/bin/python3
"""Trains the voice emotion CNN (models/voice-emotion-cnn.onnx) offline, on the log-mel
inputs the C++ side computes, and exports it as ONNX for OpenCV's dnn.

  build/release/emotune train voice --data ../shared/data/speech/ravdess --augment 8 -j 1 \
      --dump-logmel /tmp/voice-logmel.bin
  /usr/bin/python3 tools/train_voice_cnn.py --dump /tmp/voice-logmel.bin --jobs 3 \
      --out models/voice-emotion-cnn.onnx      # about 15 min per seed on one core

With `--val-actors 13-18` (and a dump made with `--holdout-actors 13-18`) those actors'
clips are scored instead of trained on: accuracy and macro-F1 per clip, pooled over a
clip's utterances by length, as the C++ reader pools them.

The input is what `emotune train voice --dump-logmel` writes (voice_cnn.h): per
utterance 40 log-mel bands × T frames (10 ms), relative to the utterance's mean level.
Training takes random 1.6 s windows (time shift), SpecAugment-style time and band
masks, the C++ side's augmented copies (speed/pitch, gain, crop, telephone band,
noise), class-balanced label-smoothed cross-entropy, AdamW with a one-cycle schedule.
Several seeds are trained and exported as one ONNX graph (opset 11, the time axis
dynamic) that averages their probabilities; a .json beside it records the options,
the validation figures if any, and the probabilities of a probe input, which the C++
test compares with OpenCV's dnn (tests/voice_cnn_test.cpp).

Needs Debian's python3-torch, python3-numpy and python3-onnx (`scripts/setup --train`).
One thread per seed; `--jobs N` trains N seeds at once in forked processes. Every seed
is fixed, so the same dump gives the same model whatever --jobs is.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BANDS = 40
CLASSES = 8
NAMES = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]


def read_dump(path):
    """Records as (label, actor, clip, copy, x[bands, frames] float32)."""
    data = open(path, "rb").read()
    if data[:8] != b"EMOMEL01":
        sys.exit(f"{path}: not a voice log-mel dump (no EMOMEL01 header)")
    bands, count = np.frombuffer(data, "<u4", 2, 8)
    if bands != BANDS:
        sys.exit(f"{path}: {bands} bands, expected {BANDS}")
    records, at = [], 16
    for _ in range(count):
        label, actor, clip, copy, frames = (int(v) for v in np.frombuffer(data, "<i4", 5, at))
        at += 20
        x = np.frombuffer(data, "<f4", BANDS * frames, at).reshape(BANDS, frames)
        at += 4 * BANDS * frames
        records.append((label, actor, clip, copy, x))
    if at != len(data):
        sys.exit(f"{path}: bytes after the last record")
    return records


def parse_actors(text):
    actors = set()
    for part in filter(None, (text or "").split(",")):
        lo, _, hi = part.partition("-")
        actors.update(range(int(lo), int(hi or lo) + 1))
    return actors


def block(c_in, c_out, pool):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
                         nn.MaxPool2d(pool))


class VoiceCnn(nn.Module):
    """1×1×40×T → 8 logits: four 3×3 conv blocks (bands 40→20→10→5→2, time ÷16),
    global average and max pooling, dropout, one linear layer."""

    def __init__(self, width=16, dropout=0.3):
        super().__init__()
        w = [width, 2 * width, 4 * width, 4 * width]
        self.features = nn.Sequential(block(1, w[0], 2), block(w[0], w[1], 2), block(w[1], w[2], 2), block(w[2], w[3], 2))
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * w[3], CLASSES)

    def forward(self, x):
        h = self.features(x)
        pooled = torch.cat([F.adaptive_avg_pool2d(h, 1), F.adaptive_max_pool2d(h, 1)], 1).flatten(1)
        return self.head(self.dropout(pooled))


class Ensemble(nn.Module):
    """The members' softmax probabilities averaged: what the ONNX file computes."""

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, x):
        return sum(F.softmax(m(x), 1) for m in self.members) / len(self.members)


def window(x, length, rng):
    """A random `length`-frame window of x (bands × T); shorter inputs are repeated."""
    t = x.shape[1]
    if t < length:
        x = np.tile(x, (1, -(-length // t)))
        t = x.shape[1]
    start = rng.integers(0, t - length + 1)
    return x[:, start:start + length]


def spec_augment(batch, rng, band_masks=2, max_bands=6, time_masks=2, max_frames=16):
    for x in batch:
        for _ in range(band_masks):
            w = rng.integers(0, max_bands + 1)
            b = rng.integers(0, BANDS - w + 1)
            x[b:b + w, :] = 0
        for _ in range(time_masks):
            w = rng.integers(0, max_frames + 1)
            t = rng.integers(0, x.shape[1] - w + 1)
            x[:, t:t + w] = 0
    return batch


def train_member(train, seed, args):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = VoiceCnn(args.width, args.dropout)
    labels = np.array([r[0] for r in train])
    counts = np.bincount(labels, minlength=CLASSES).astype(np.float64)
    class_weight = torch.tensor(counts.sum() / (CLASSES * np.maximum(counts, 1)), dtype=torch.float32)
    sample_weight = np.array([1.0 if r[3] == 0 else args.copy_weight for r in train], dtype=np.float32)
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps_per_epoch = -(-len(train) // args.batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch,
                                                   pct_start=0.15)
    for epoch in range(args.epochs):
        model.train()
        order = rng.permutation(len(train))
        total, started = 0.0, time.time()
        for s in range(steps_per_epoch):
            idx = order[s * args.batch:(s + 1) * args.batch]
            batch = np.stack([window(train[i][4], args.frames, rng) for i in idx]).copy()
            batch = spec_augment(batch, rng)
            x = torch.from_numpy(batch[:, None])
            y = torch.from_numpy(labels[idx])
            loss = F.cross_entropy(model(x), y, weight=class_weight, label_smoothing=args.label_smoothing, reduction="none")
            w = torch.from_numpy(sample_weight[idx])
            loss = (loss * w).sum() / w.sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss) * len(idx)
        if args.verbose:
            print(f"  seed {seed} epoch {epoch + 1}/{args.epochs}: loss {total / len(train):.4f} ({time.time() - started:.1f} s)",
                  file=sys.stderr)
    model.eval()
    return model


_TRAIN, _ARGS = None, None


def _train_one(seed):
    torch.set_num_threads(_ARGS.threads)
    return train_member(_TRAIN, seed, _ARGS).state_dict()


def train_members(train, seeds, args):
    """One network per seed; with --jobs > 1 the seeds train in forked processes (same results)."""
    if args.jobs <= 1 or len(seeds) == 1:
        return [train_member(train, seed, args) for seed in seeds]
    import multiprocessing
    global _TRAIN, _ARGS
    _TRAIN, _ARGS = train, args
    with multiprocessing.get_context("fork").Pool(min(args.jobs, len(seeds))) as pool:
        states = pool.map(_train_one, seeds)
    members = []
    for state in states:
        member = VoiceCnn(args.width, args.dropout)
        member.load_state_dict(state)
        members.append(member.eval())
    return members


def clip_probabilities(model, records):
    """Per clip: the utterances' probabilities pooled by length (frames)."""
    pooled = {}
    with torch.no_grad():
        for label, _, clip, _, x in records:
            p = model(torch.from_numpy(x.copy())[None, None]).numpy()[0]
            if not isinstance(model, Ensemble):
                p = np.exp(p - p.max()) / np.exp(p - p.max()).sum()
            acc = pooled.setdefault(clip, [label, np.zeros(CLASSES), 0])
            acc[1] += x.shape[1] * p
            acc[2] += x.shape[1]
    return {c: (label, p / n) for c, (label, p, n) in pooled.items()}


def report(pooled):
    truth = np.array([v[0] for v in pooled.values()])
    predicted = np.array([int(np.argmax(v[1])) for v in pooled.values()])
    confusion = np.zeros((CLASSES, CLASSES), dtype=int)
    for t, p in zip(truth, predicted):
        confusion[t, p] += 1
    recall = confusion.diagonal() / np.maximum(confusion.sum(1), 1)
    precision = confusion.diagonal() / np.maximum(confusion.sum(0), 1)
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0)
    return {"clips": int(len(truth)), "accuracy": float((truth == predicted).mean()), "macro_f1": float(f1.mean()),
            "recall": {n: round(float(r), 4) for n, r in zip(NAMES, recall)}, "confusion": confusion.tolist()}


def probe_input(frames=150):
    """A deterministic log-mel-like input; the C++ test makes the same one."""
    b, t = np.meshgrid(np.arange(BANDS), np.arange(frames), indexing="ij")
    return (4 * np.sin(0.37 * t + 0.23 * b) * np.cos(0.11 * t - 0.19 * b)).astype(np.float32)[None, None]


def export(ensemble, path, provenance):
    ensemble.eval()
    dummy = torch.from_numpy(probe_input())
    torch.onnx.export(ensemble, dummy, path, input_names=["log_mel"], output_names=["probabilities"],
                      dynamic_axes={"log_mel": {3: "frames"}}, opset_version=11, do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(path))
    with torch.no_grad():
        reference = ensemble(dummy).numpy()[0]
    provenance["probe"] = {"formula": "4 sin(0.37 t + 0.23 b) cos(0.11 t - 0.19 b), b < 40 bands, t < 150 frames",
                           "probabilities": [float(v) for v in reference]}
    with open(os.path.splitext(path)[0] + ".json", "w") as f:
        json.dump(provenance, f, indent=1)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dump", required=True, help="what `emotune train voice --dump-logmel` wrote")
    ap.add_argument("--out", help="ONNX file to write (a .json beside it records provenance and a probe's output)")
    ap.add_argument("--val-actors", default="", help="actors scored, not trained on, e.g. 13-18")
    ap.add_argument("--seeds", type=int, default=3, help="networks averaged (default 3)")
    ap.add_argument("--seed", type=int, default=7, help="first seed (default 7)")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--frames", type=int, default=160, help="training window, frames of 10 ms (default 160)")
    ap.add_argument("--width", type=int, default=16, help="channels of the first conv block (default 16)")
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-2)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--copy-weight", type=float, default=1.0, help="loss weight of an augmented copy (default 1)")
    ap.add_argument("--max-copies", type=int, default=99, help="use at most this many augmented copies per clip")
    ap.add_argument("--threads", type=int, default=1, help="torch threads per seed (default 1)")
    ap.add_argument("--jobs", type=int, default=1, help="seeds trained at once, one process each (default 1)")
    ap.add_argument("--report", help="write the validation report (JSON) here")
    ap.add_argument("--save-probs", help="write each seed's per-clip validation probabilities here (.npz)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)

    records = read_dump(args.dump)
    val_actors = parse_actors(args.val_actors)
    train = [r for r in records if r[1] not in val_actors and r[3] <= args.max_copies]
    val = [r for r in records if r[1] in val_actors and r[3] == 0]
    print(f"{args.dump}: {len(train)} training utterances (actors {sorted({r[1] for r in train})}), "
          f"{len(val)} validation utterances", file=sys.stderr)
    started = time.time()
    members = train_members(train, [args.seed + k for k in range(args.seeds)], args)
    reports, member_probs = [], []
    for k, member in enumerate(members):
        if val:
            member_probs.append(clip_probabilities(member, val))
            reports.append(report(member_probs[-1]))
            print(f"seed {args.seed + k}: accuracy {reports[-1]['accuracy']:.4f}, macro-F1 {reports[-1]['macro_f1']:.4f} "
                  f"({time.time() - started:.0f} s)", file=sys.stderr)
    if args.save_probs and member_probs:
        clips = sorted(member_probs[0])
        actor_of = {r[2]: r[1] for r in val}
        np.savez(args.save_probs, clips=np.array(clips), actors=np.array([actor_of[c] for c in clips]),
                 labels=np.array([member_probs[0][c][0] for c in clips]),
                 probs=np.array([[m[c][1] for c in clips] for m in member_probs]))
    ensemble = Ensemble(members).eval()
    result = {"dump": os.path.basename(args.dump), "training_utterances": len(train),
              "training_actors": sorted({r[1] for r in train}), "options": {k: v for k, v in vars(args).items() if k not in ("dump", "out", "report", "save_probs", "verbose", "jobs", "threads")},
              "seconds": round(time.time() - started, 1)}
    if val:
        result["validation"] = report(clip_probabilities(ensemble, val)) | {"actors": sorted(val_actors)}
        result["validation"]["members"] = [{"accuracy": r["accuracy"], "macro_f1": r["macro_f1"]} for r in reports]
        v = result["validation"]
        print(f"ensemble of {args.seeds}: accuracy {v['accuracy']:.4f}, macro-F1 {v['macro_f1']:.4f}; recall {v['recall']}",
              file=sys.stderr)
    if args.report:
        with open(args.report, "w") as f:
            json.dump(result, f, indent=1)
    if args.out:
        export(ensemble, args.out, result)
        print(f"→ {args.out} ({os.path.getsize(args.out)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
