// CatalogStore: where the catalog's tracks live. An abstract interface so the
// embedded SQLite store (the default) and a scale-out store can serve the same
// callers; open one with OpenSqliteStore().
//
// Thread safety: a CatalogStore may be used from one thread at a time; open one per
// thread for concurrent readers (SQLite's WAL lets them read while one writes).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emotune/library_files.h"
#include "emotune/status.h"
#include "emotune/track.h"

namespace emotune {

// What to list. Every field left at its default filters nothing.
struct TrackQuery {
  std::string artist;              // any credited artist, case-insensitive; default "" (any)
  std::string genre;               // case-insensitive; default "" (any)
  std::string language;            // case-insensitive; default "" (any)
  std::optional<int> year_from;    // inclusive; default none
  std::optional<int> year_to;      // inclusive; default none
  std::string given_mood;          // the mood label a file carried, case-insensitive; default ""
  std::vector<std::int64_t> ids;   // only these tracks, in this order; default empty (all)
  std::size_t limit = 0;           // at most this many; default 0 (no limit)
  std::size_t offset = 0;          // skip this many first; default 0
};

// Which of a Track's fields a bulk read (ForEachTrack) fills.
enum class TrackFields {
  kAll,
  // What indexing and recommending read: id, title, artists, release_year,
  // duration_ms, genre, language, popularity, file_path, the nine audio features
  // (danceability … tempo_bpm) and given_mood. The rest (external_id, album,
  // release_date, explicit_lyrics, spotify_uri, key, mode, time_signature) stay
  // empty or unknown; reading less makes a million-row read markedly faster.
  kForIndex,
};

struct CatalogStats {
  std::int64_t tracks = 0;
  std::int64_t artists = 0;              // distinct credited artists (any credit, ASCII case-insensitive)
  std::int64_t with_features = 0;        // tracks with energy and valence known
  std::int64_t local_files = 0;          // tracks with a file path
  std::optional<int> year_min, year_max;
  std::int64_t total_duration_ms = 0;
  std::map<std::string, std::int64_t> by_given_mood;  // label → count
  std::vector<std::pair<std::string, std::int64_t>> top_genres;  // most frequent first
  std::map<std::string, double> feature_means;        // feature name → mean over known
};

// What a listener said about a track. Each event is kept, newest last.
enum class FeedbackKind { kLike, kSkip, kDislike };
std::string_view FeedbackKindName(FeedbackKind kind);  // "like", "skip", "dislike"
Result<FeedbackKind> ParseFeedbackKind(std::string_view name);

struct FeedbackEvent {
  std::int64_t track_id = 0;
  FeedbackKind kind = FeedbackKind::kLike;
  std::int64_t at = 0;  // seconds since the epoch
};

// Counts of one bulk write.
struct WriteCounts {
  std::int64_t added = 0;
  std::int64_t updated = 0;
};

// A bulk write: one transaction. Nothing is visible to other connections until
// Commit(); destroying a writer that was not committed rolls everything back.
class TrackWriter {
 public:
  virtual ~TrackWriter() = default;
  // Adds `track`, or updates the stored track with the same DedupKey(); a field the
  // new record leaves unknown keeps its stored value.
  virtual Status Put(const Track& track) = 0;
  virtual Result<WriteCounts> Commit() = 0;
};

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;

  // The schema version the store is at (after any migration on open).
  virtual int SchemaVersion() const = 0;
  // A number that changes whenever another connection to the same catalog commits
  // (a scan or an import in another thread or process); equal numbers mean the
  // catalog did not change in between. A long-lived reader (the HTTP server) uses it
  // to know when its TrackIndex is stale. This store's own writes do not change it.
  virtual Result<std::uint64_t> ChangeStamp() = 0;
  // Starts a bulk write. `expected_rows` (0 = unknown) lets the store prepare for a
  // large load. At most one writer per store at a time.
  virtual Result<std::unique_ptr<TrackWriter>> BeginWrite(std::int64_t expected_rows = 0) = 0;
  virtual Result<std::vector<Track>> FindTracks(const TrackQuery& query) = 0;
  // FindTracks one track at a time, for catalogs too large to hold as Tracks (an
  // index build), filling the `fields` asked for. The Track `visit` sees is valid
  // until it returns (the store reuses it for the next row). Stops at, and
  // returns, the first error `visit` returns. Without ids the order is the
  // catalog's (by id); with ids, as FindTracks.
  virtual Status ForEachTrack(const TrackQuery& query, const std::function<Status(const Track&)>& visit,
                              TrackFields fields = TrackFields::kAll) = 0;
  // ForEachTrack cut into `parts` consecutive id ranges, each read through a
  // connection of its own on a thread of its own, so that a large read (an index
  // build) uses several cores. Part p's tracks come in id order, to `visit(p, t)`
  // on p's thread: calls for different parts run at once (the visitor keeps parts
  // apart), calls for one part never do. Every track `query` selects reaches
  // exactly one part, and every id in part p is below every id in part p + 1.
  // All parts read one state of the catalog. Unsupported, with nothing or only
  // part of the catalog visited (the caller drops what it saw and reads with
  // ForEachTrack instead), when the store cannot open more connections (an
  // in-memory catalog), when `query` names ids or pages (limit, offset), or when
  // another connection committed while the parts were read. Stops at the first
  // error `visit` returns.
  virtual Status ForEachTrackInParts(const TrackQuery& query, std::size_t parts,
                                     const std::function<Status(std::size_t part, const Track&)>& visit,
                                     TrackFields fields = TrackFields::kAll) = 0;
  virtual Result<std::int64_t> CountTracks(const TrackQuery& query) = 0;
  // NotFound if no track has this id.
  virtual Result<Track> GetTrack(std::int64_t id) = 0;
  virtual Result<CatalogStats> Stats() = 0;
  // Records a listener's feedback on a track; NotFound if the track does not exist,
  // InvalidArgument for an empty user name.
  virtual Status AddFeedback(const std::string& user, std::int64_t track_id, FeedbackKind kind) = 0;
  // Every feedback event of `user`, oldest first (empty for an unknown user).
  virtual Result<std::vector<FeedbackEvent>> UserFeedback(const std::string& user) = 0;
  // Records that `user` played a track (now); NotFound if the track does not exist,
  // InvalidArgument for an empty user name.
  virtual Status AddPlay(const std::string& user, std::int64_t track_id) = 0;
  // The tracks `user` played most recently, newest first, each once, at most `limit`.
  virtual Result<std::vector<std::int64_t>> RecentlyPlayed(const std::string& user, std::size_t limit) = 0;
  // Library scan (see library_files.h). Every file a scan ever met, in path order.
  virtual Result<std::vector<LibraryFile>> LibraryFiles() = 0;
  // Adds or updates the scanned track (deduplicated by its file path, so a re-scan
  // keeps its id), its file row, descriptors and cover art: one transaction.
  // Returns the track's id.
  virtual Result<std::int64_t> PutScannedTrack(const ScannedTrack& scanned) = 0;
  // Records a file that could not be analysed (status kFailed); a track it had stays.
  virtual Status PutFailedFile(const LibraryFile& file) = 0;
  // Marks these files gone: their tracks leave FindTracks/CountTracks (unless asked
  // for by id), their feedback and history stay.
  virtual Status MarkGone(const std::vector<std::string>& paths) = 0;
  // Re-points the file row `from` (and its track) to `to`, which holds the same
  // content: the track keeps its id and history. `from` may equal `to.path` (a gone
  // file come back unchanged). NotFound if `from` is unknown.
  virtual Status MoveLibraryFile(const std::string& from, const LibraryFile& to) = 0;
  // The track's embedded picture (nullopt if it had none), and its descriptors as
  // the JSON text the scan stored ("" if it was never scanned).
  virtual Result<std::optional<CoverArt>> TrackCoverArt(std::int64_t track_id) = 0;
  virtual Result<std::string> TrackDescriptors(std::int64_t track_id) = 0;
  // Records that a file was imported (shown by `emotune stats`).
  virtual Status LogImport(const std::string& source, const std::string& layout,
                           const WriteCounts& counts, std::int64_t skipped) = 0;
};

struct StoreOptions {
  // Create the file (and its folders) if missing; default true.
  bool create_if_missing = true;
  // Open read-only; default false.
  bool read_only = false;
};

// The current schema version a fresh store is created at.
inline constexpr int kCatalogSchemaVersion = 5;

// Opens (creating and migrating as needed) the SQLite catalog at `path`.
Result<std::unique_ptr<CatalogStore>> OpenSqliteStore(const std::string& path,
                                                      const StoreOptions& options = {});

// The catalog path a user means: `explicit_path` if given, else $EMOTUNE_DB, else
// $XDG_DATA_HOME/emotune/catalog.db, else ~/.local/share/emotune/catalog.db.
std::string DefaultCatalogPath(const std::string& explicit_path = "");

}  // namespace emotune
