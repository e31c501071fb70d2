#!/usr/bin/python3
"""Writes examples/demo-catalog.csv: a small, entirely synthetic catalog (invented
titles and artists; features drawn per mood around the means of real mood playlists)
for the demo until `emotune scan` gives it real music. Deterministic (seed 7); CC0.

    /usr/bin/python3 tools/make_demo_catalog.py > examples/demo-catalog.csv
"""
import csv
import random
import sys

random.seed(7)
WORDS_A = ["Amber", "Silver", "Quiet", "Electric", "Paper", "Velvet", "Neon", "Hollow", "Golden", "Midnight",
           "Northern", "Broken", "Gentle", "Wild", "Glass", "Distant"]
WORDS_B = ["Harbor", "Skies", "Rain", "Engines", "Letters", "Morning", "Tides", "Lanterns", "Roads", "Waves",
           "Gardens", "Hearts", "Echoes", "Fires", "Rivers", "Stars"]
ARTISTS = ["The Lanterns", "Mira Vale", "Orchid Static", "Jonah Reed", "Kestrel", "Sun Cartel", "Low Meadow",
           "Ana Ferro", "Night Swimmers", "Polar Motel", "Ivy & The Keys", "Dusk Parade"]
GENRES = ["pop", "rock", "electronic", "ambient", "folk", "r&b"]
# mood: (danceability, energy, valence, acousticness, tempo) means, rounded, of each mood's
# rows in data_moods_train.csv (see ../shared/data/README.md).
MOODS = {
    "Happy": (0.60, 0.76, 0.57, 0.13, 126),
    "Energetic": (0.52, 0.89, 0.43, 0.03, 132),
    "Sad": (0.49, 0.39, 0.28, 0.57, 115),
    "Calm": (0.41, 0.15, 0.15, 0.90, 111),
}


def clip(x):
    return max(0.0, min(1.0, x))


w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["title", "artist", "album", "year", "duration_ms", "genre", "language", "danceability", "energy",
            "valence", "acousticness", "instrumentalness", "speechiness", "liveness", "loudness", "tempo",
            "key", "mode", "time_signature", "mood"])
n = 0
for mood, (dance, energy, valence, acoustic, tempo) in MOODS.items():
    for _ in range(24):
        n += 1
        title = f"{random.choice(WORDS_A)} {random.choice(WORDS_B)}"
        e = clip(random.gauss(energy, 0.1))
        w.writerow([title, random.choice(ARTISTS), f"Demo Album {random.randint(1, 8)}", random.randint(1975, 2024),
                    random.randint(140, 320) * 1000, random.choice(GENRES), random.choice(["en", "en", "en", "es", "fr"]),
                    round(clip(random.gauss(dance, 0.1)), 3), round(e, 3), round(clip(random.gauss(valence, 0.1)), 3),
                    round(clip(random.gauss(acoustic, 0.12)), 3), round(clip(random.gauss(0.2, 0.2)), 3),
                    round(clip(random.gauss(0.05, 0.02)), 3), round(clip(random.gauss(0.15, 0.05)), 3),
                    round(-25 + 20 * e + random.gauss(0, 1.5), 2), round(random.gauss(tempo, 12), 1),
                    random.randint(0, 11), 1 if mood in ("Happy", "Energetic") or random.random() < 0.4 else 0, 4, mood])
