#include "server/api_context.h"

#include <fmt/format.h>

#include "emotune/utf8.h"

namespace emotune::server {

ChatSession& ChatSessions::Get(const std::string& id, const std::function<ChatSession()>& make) {
  if (auto it = sessions_.find(id); it != sessions_.end()) {
    order_.splice(order_.begin(), order_, it->second.second);
    return it->second.first;
  }
  while (sessions_.size() >= capacity_ && !order_.empty()) {
    sessions_.erase(order_.back());
    order_.pop_back();
  }
  order_.push_front(id);
  auto [it, added] = sessions_.emplace(id, std::make_pair(make(), order_.begin()));
  return it->second.first;
}

void RequestMetrics::Count(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  auto& [sum, count] = seconds_[route];
  sum += seconds;
  ++count;
}

std::string RequestMetrics::Prometheus(std::int64_t tracks, std::size_t chat_sessions) const {
  std::lock_guard lock(mutex_);
  std::string out =
      "# HELP emotune_http_requests_total HTTP requests answered, by route and status.\n"
      "# TYPE emotune_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out += fmt::format("emotune_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first, key.second, n);
  out +=
      "# HELP emotune_http_request_duration_seconds Time spent answering, by route.\n"
      "# TYPE emotune_http_request_duration_seconds summary\n";
  for (const auto& [route, sc] : seconds_) {
    out += fmt::format("emotune_http_request_duration_seconds_sum{{route=\"{}\"}} {:.6f}\n", route, sc.first);
    out += fmt::format("emotune_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, sc.second);
  }
  out += fmt::format(
      "# HELP emotune_catalog_tracks Tracks in the catalog.\n# TYPE emotune_catalog_tracks gauge\n"
      "emotune_catalog_tracks {}\n"
      "# HELP emotune_chat_sessions Chat conversations held in memory.\n# TYPE emotune_chat_sessions gauge\n"
      "emotune_chat_sessions {}\n",
      tracks, chat_sessions);
  return out;
}

Result<const TrackIndex*> ApiContext::CurrentIndex() {
  // The stamp is read before the build: a commit landing during the build makes the
  // next call build again rather than keep a stale index.
  auto stamp = store->ChangeStamp();
  if (!stamp.ok()) return stamp.status();
  if (!index_ || *stamp != index_stamp_) {
    auto built = TrackIndex::Build(*store);
    if (!built.ok()) return built.status();
    index_ = std::move(*built);
    index_stamp_ = *stamp;
  }
  return &*index_;
}

void SendJson(httplib::Response& res, const nlohmann::json& body, int status) {
  SendJsonText(res, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), status);
}

void SendJsonText(httplib::Response& res, std::string body, int status) {
  res.status = status;
  res.set_content(std::move(body), "application/json");
}

void SendError(httplib::Response& res, const HttpError& error) {
  SendJson(res, {{"error", error.message}}, error.status);
}

HttpError FromStatus(const Status& status) {
  switch (status.code()) {
    case Status::Code::kNotFound: return {404, status.message()};
    case Status::Code::kInvalidArgument: return {400, status.message()};
    default: return {500, status.message()};
  }
}

std::optional<nlohmann::json> JsonBody(const httplib::Request& req, httplib::Response& res) {
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    SendError(res, {415, "send the body as Content-Type: application/json"});
    return std::nullopt;
  }
  if (!IsValidUtf8(req.body)) {
    SendError(res, {400, "the body is not valid UTF-8"});
    return std::nullopt;
  }
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    SendError(res, {400, "the body is not valid JSON"});
    return std::nullopt;
  }
  if (!body.is_object()) {
    SendError(res, {400, "the body must be a JSON object"});
    return std::nullopt;
  }
  return body;
}

void Fields::Fail(const char* name, const std::string& why) {
  if (!error_) error_ = HttpError{400, fmt::format("field '{}': {}", name, why)};
}

std::optional<std::string> Fields::String(const char* name, std::size_t max_bytes) {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    Fail(name, "must be a string");
    return std::nullopt;
  }
  std::string value = it->get<std::string>();
  if (value.size() > max_bytes) {
    Fail(name, fmt::format("longer than {} bytes", max_bytes));
    return std::nullopt;
  }
  return value;
}

std::optional<double> Fields::Number(const char* name, double min, double max) {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) {
    Fail(name, "must be a number");
    return std::nullopt;
  }
  const double v = it->get<double>();
  if (!(v >= min && v <= max)) {
    Fail(name, fmt::format("{} is not in [{}, {}]", v, min, max));
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> Fields::Integer(const char* name, std::int64_t min, std::int64_t max) {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) {
    Fail(name, "must be an integer");
    return std::nullopt;
  }
  const auto v = it->get<std::int64_t>();
  if (v < min || v > max) {
    Fail(name, fmt::format("{} is not in [{}, {}]", v, min, max));
    return std::nullopt;
  }
  return v;
}

}  // namespace emotune::server
