// The API's routes, one file per area; each registers its handlers on the server.
#pragma once

#include <httplib.h>

#include "server/api_context.h"

namespace emotune::server {

void AddMoodRoutes(httplib::Server& http, ApiContext& ctx);       // /api/mood/text, /api/mood/image, /api/mood/voice, /api/chat
void AddCatalogRoutes(httplib::Server& http, ApiContext& ctx);    // /api/tracks…, /api/feedback, /api/history, /api/export, /api/clusters
void AddRecommendRoutes(httplib::Server& http, ApiContext& ctx);  // /api/recommend

// The OpenAPI document served at /api/openapi.json (web/openapi.json, built in).
extern const char* const kOpenApiJson;

}  // namespace emotune::server
