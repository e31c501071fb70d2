#!/usr/bin/python3
"""The import benchmark's peer: what a short Python script does with Debian's python3
`csv` and `sqlite3` modules to load the same Spotify-style CSV into the same catalog
tables, in one transaction. Run by bench/import_bench; usage: peer_import.py CSV DB
(DB must already hold Emotune's schema)."""
import csv
import json
import sqlite3
import sys
import time

csv_path, db_path = sys.argv[1], sys.argv[2]
db = sqlite3.connect(db_path)
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = NORMAL")
now = int(time.time())

M64 = (1 << 64) - 1


def dedup_hash(key):
    """Emotune's DedupHash: FNV-1a over the UTF-8 key, then MurmurHash3's fmix64."""
    h = 0xcbf29ce484222325
    for c in key.encode():
        h = ((h ^ c) * 0x100000001b3) & M64
    h ^= h >> 33
    h = (h * 0xff51afd7ed558ccd) & M64
    h ^= h >> 33
    h = (h * 0xc4ceb9fe1a85ec53) & M64
    h ^= h >> 33
    return h - (1 << 64) if h >> 63 else h


SQL = """INSERT INTO tracks (dedup_hash, external_id, title, artists, release_year, release_date,
  duration_ms, popularity, explicit, danceability, energy, spotify_valence, acousticness, instrumentalness,
  speechiness, liveness, loudness_db, tempo_bpm, musical_key, mode, time_signature, added_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""


def rows():
    with open(csv_path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for r in reader:
            artists = [a.strip(" '\"") for a in r["artists"].strip("[]").split(",") if a.strip(" '\"")]
            yield (dedup_hash("id:" + r["id"]), r["id"], r["name"], json.dumps(artists),
                   int(r["release_date"][:4]), r["release_date"], int(r["duration_ms"]), int(r["popularity"]),
                   int(r["explicit"]), float(r["danceability"]), float(r["energy"]), float(r["valence"]),
                   float(r["acousticness"]), float(r["instrumentalness"]), float(r["speechiness"]),
                   float(r["liveness"]), float(r["loudness"]), float(r["tempo"]), int(r["key"]), int(r["mode"]),
                   int(r["time_signature"]), now, now)


def artist_key(name):
    return dedup_hash(name.strip().lower())


# Emotune's identity and credits tables, filled set-wise from the inserted rows, in key
# order, as a Python programmer who knows SQLite would (a fresh catalog has no duplicates).
KEYS = "INSERT INTO track_keys (dedup_hash, track_id) SELECT dedup_hash, id FROM tracks ORDER BY 1"
CREDITS = """INSERT OR IGNORE INTO track_artists (artist_key, track_id)
  SELECT py_artist_key(value), tracks.id FROM tracks, json_each(tracks.artists) ORDER BY 1, 2"""

db.create_function("py_artist_key", 1, artist_key, deterministic=True)
start = time.monotonic()
with db:
    db.executemany(SQL, rows())
    db.execute(KEYS)
    db.execute(CREDITS)
n = db.execute("SELECT count(*) FROM tracks").fetchone()[0]
print(f"{n} rows in {time.monotonic() - start:.2f} s")
