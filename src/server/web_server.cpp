#include "emotune/web_server.h"

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "server/routes.h"

namespace emotune {

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

namespace {

using server::ApiContext;
using server::SendError;
using server::SendJson;

// The route a request matched, for metrics: its pattern with ids folded ("/api/tracks/:id/audio").
std::string RouteLabel(const std::string& path) {
  if (path.rfind("/api/", 0) != 0 && path != "/healthz" && path != "/metrics") return "static";
  std::string label;
  std::size_t i = 0;
  while (i < path.size()) {
    if (std::isdigit(static_cast<unsigned char>(path[i])) && i > 0 && path[i - 1] == '/') {
      label += ":id";
      while (i < path.size() && path[i] != '/') ++i;
    } else {
      label += path[i++];
    }
  }
  return label;
}

class HttpWebServer final : public WebServer {
 public:
  HttpWebServer(ServerOptions options, std::unique_ptr<CatalogStore> store, ServerServices readers)
      : ctx_(std::move(options), std::move(store), std::move(readers)) {}

  Status Init() {
    const ServerOptions& o = ctx_.options;
    http_.set_payload_max_length(o.max_body_bytes);
    http_.set_read_timeout(30, 0);
    const std::size_t threads = std::max<std::size_t>(1, o.threads);
    http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // cpp-httplib closes a keep-alive connection after 5 requests by default; a page
    // polling the scan and streaming audio makes many more.
    http_.set_keep_alive_max_count(1000);
    // Headers and body go out in separate writes; without this, Nagle's algorithm
    // holds the body back until the client's delayed ACK (~40 ms a request).
    http_.set_tcp_nodelay(true);
    http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      started_ = std::chrono::steady_clock::now();
      return Authorised(req, res) ? httplib::Server::HandlerResponse::Unhandled
                                  : httplib::Server::HandlerResponse::Handled;
    });
    http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      ctx_.metrics.Count(RouteLabel(req.path), res.status, seconds);
    });
    http_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;  // a route already explained itself
      if (res.status == 404) SendError(res, {404, "no such route: " + req.method + " " + req.path});
      else if (res.status == 413) SendError(res, {413, "the request body is too large"});
      else SendError(res, {res.status, "request failed with HTTP status " + std::to_string(res.status)});
    });
    http_.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard lock(ctx_.store_mutex);
      auto n = ctx_.store->CountTracks({});
      if (!n.ok()) return SendError(res, {503, n.status().message()});
      SendJson(res, {{"status", "ok"},
                     {"tracks", *n},
                     {"text_model", ctx_.readers.text != nullptr},
                     {"face_model", static_cast<bool>(ctx_.readers.face)},
                     {"voice_model", static_cast<bool>(ctx_.readers.voice)}});
    });
    http_.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      std::int64_t tracks = 0;
      {
        std::lock_guard lock(ctx_.store_mutex);
        auto n = ctx_.store->CountTracks({});
        tracks = n.ok() ? *n : -1;
      }
      std::size_t sessions = 0;
      {
        std::lock_guard lock(ctx_.chats.mutex());
        sessions = ctx_.chats.size();
      }
      res.set_content(ctx_.metrics.Prometheus(tracks, sessions), "text/plain; version=0.0.4");
    });
    http_.Get("/api/scan", [this](const httplib::Request&, httplib::Response& res) {
      if (!ctx_.readers.scan) return SendJson(res, {{"running", false}, {"scanning", false}});
      const ScanStatus::Snapshot s = ctx_.readers.scan->Get();
      SendJson(res, {{"scanning", true}, {"running", s.running}, {"done", s.done}, {"total", s.total},
                     {"analysed", s.analysed}, {"unchanged", s.unchanged}, {"failed", s.failed},
                     {"eta_s", s.eta_s}, {"current", s.current}, {"error", s.error}});
    });
    http_.Get("/api/openapi.json", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(server::kOpenApiJson, "application/json");
    });
    server::AddMoodRoutes(http_, ctx_);
    server::AddCatalogRoutes(http_, ctx_);
    server::AddRecommendRoutes(http_, ctx_);
    if (!o.web_root.empty() && !http_.set_mount_point("/", o.web_root))
      return Status::InvalidArgument(fmt::format("serve: web folder {} does not exist", o.web_root));
    // Anything under /api that no route took is a 404, never a static file lookup.
    http_.Get(R"(/api/.*)", [](const httplib::Request& req, httplib::Response& res) {
      SendError(res, {404, "no such route: GET " + req.path});
    });
    port_ = o.port == 0 ? http_.bind_to_any_port(o.host) : (http_.bind_to_port(o.host, o.port) ? o.port : -1);
    if (port_ < 0) return Status::IoError(fmt::format("serve: cannot listen on {}:{} (in use, or not an address of this machine)", o.host, o.port));
    return Status::Ok();
  }

  int port() const override { return port_; }
  Status Run() override {
    return http_.listen_after_bind() ? Status::Ok() : Status::IoError("serve: the server stopped unexpectedly");
  }
  void Stop() override { http_.stop(); }

 private:
  // /api and /metrics need the token when one is set; the page itself and /healthz
  // do not (the page sends the token it is given).
  bool Authorised(const httplib::Request& req, httplib::Response& res) {
    const std::string& token = ctx_.options.token;
    if (token.empty() || !(req.path.rfind("/api/", 0) == 0 || req.path == "/metrics")) return true;
    if (req.get_header_value("Authorization") == "Bearer " + token) return true;
    // <audio> and <img> cannot send headers: media by id may carry the token in the query.
    const bool media = req.method == "GET" && (req.path.ends_with("/audio") || req.path.ends_with("/cover"));
    if (media && req.get_param_value("access_token") == token) return true;
    res.set_header("WWW-Authenticate", "Bearer");
    SendError(res, {401, "send Authorization: Bearer <token>"});
    return false;
  }

  ApiContext ctx_;
  httplib::Server http_;
  int port_ = -1;
  // Per-request start time; httplib calls the pre-routing handler and the logger on
  // the same thread for one request.
  static thread_local std::chrono::steady_clock::time_point started_;
};

thread_local std::chrono::steady_clock::time_point HttpWebServer::started_;

}  // namespace

Result<std::unique_ptr<WebServer>> WebServer::Create(ServerOptions options, std::unique_ptr<CatalogStore> store,
                                                     ServerServices readers) {
  if (!store) return Status::InvalidArgument("serve: no catalog");
  if (!IsLoopbackHost(options.host) && options.token.empty())
    return Status::InvalidArgument(fmt::format(
        "serve: listening on {} exposes the catalog beyond this machine; set EMOTUNE_TOKEN or --token", options.host));
  if (options.port < 0 || options.port > 65535)
    return Status::InvalidArgument(fmt::format("serve: port {} is not in 0..65535", options.port));
  if (!options.web_root.empty() && !std::filesystem::is_regular_file(std::filesystem::path(options.web_root) / "index.html"))
    return Status::InvalidArgument(fmt::format("serve: {} has no index.html", options.web_root));
  auto server = std::make_unique<HttpWebServer>(std::move(options), std::move(store), std::move(readers));
  if (Status s = server->Init(); !s.ok()) return s;
  return std::unique_ptr<WebServer>(std::move(server));
}

}  // namespace emotune
