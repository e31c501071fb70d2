// ChatPlaylist: the playlists one chat conversation asks for, answered from the
// catalog. It remembers what it already suggested so that "something else" gets
// different tracks — the terminal chat and the web chat share it.
//
// One per conversation; not thread-safe. The store must be used by one thread at a
// time (CatalogStore's rule).
#pragma once

#include <cstdint>
#include <vector>

#include "emotune/catalog_store.h"
#include "emotune/playlist_request.h"
#include "emotune/recommender.h"

namespace emotune {

class ChatPlaylist {
 public:
  // `options` (count, seed, user, filters) apply to every playlist of the conversation.
  explicit ChatPlaylist(RecommendOptions options) : options_(std::move(options)) {}

  // The playlist for `request`; with request.something_else, none of the tracks
  // suggested before in this conversation. With `index` (a long-lived process's kept
  // index of `store`), the tracks are searched there instead of indexed anew.
  Result<Recommendation> Answer(CatalogStore& store, const PlaylistRequest& request,
                                const TrackIndex* index = nullptr);

  const std::vector<std::int64_t>& suggested() const { return suggested_; }

 private:
  RecommendOptions options_;
  std::vector<std::int64_t> suggested_;
};

}  // namespace emotune
