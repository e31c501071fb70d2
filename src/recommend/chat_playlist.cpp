#include "emotune/chat_playlist.h"

namespace emotune {

Result<Recommendation> ChatPlaylist::Answer(CatalogStore& store, const PlaylistRequest& request,
                                            const TrackIndex* index) {
  RecommendOptions options = options_;
  if (request.something_else)
    options.exclude_ids.insert(options.exclude_ids.end(), suggested_.begin(), suggested_.end());
  auto rec = index ? Recommend(*index, store, request, options) : Recommend(store, request, options);
  if (rec.ok())
    for (const auto& slot : rec->slots) suggested_.push_back(slot.track.id);
  return rec;
}

}  // namespace emotune
