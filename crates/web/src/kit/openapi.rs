//! The OpenAPI 3.1 document of the JSON API, generated from the route table, so a route cannot
//! exist without being documented.

use crate::{Access, AppState};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Map, Value};

pub async fn document(State(s): State<AppState>) -> Json<Value> {
    let mut paths = Map::new();
    for r in s.routes.iter().filter(|r| r.api) {
        let params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|x| x.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        let who = match r.access {
            Access::Public => "Anyone.".to_string(),
            Access::Account => {
                "A signed-in person (cookie session); `GET /me` and `GET /workspaces` also accept API tokens."
                    .to_string()
            }
            Access::Operator => "A platform operator (cookie session).".to_string(),
            Access::Workspace(a) => format!("A member or API token of the workspace whose role allows `{a:?}`."),
            Access::Current(a) => format!(
                "An API token (acting in its workspace) or a member's session (acting in the workspace they switched to), whose role allows `{a:?}`."
            ),
        };
        let mut op = json!({
            "summary": r.summary,
            "description": who,
            "parameters": params,
            "responses": {
                "200": { "description": "Success" },
                "201": { "description": "Created" },
                "204": { "description": "Done" },
                "4XX": { "description": "Error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
        });
        if matches!(r.method, "POST" | "PATCH") && !r.path.contains("/admin/") {
            op["requestBody"] =
                json!({ "required": true, "content": { "application/json": { "schema": { "type": "object" } } } });
        }
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method.to_lowercase()] = op;
    }
    Json(json!({
        "openapi": "3.1.0",
        "info": { "title": "Frontdesk API", "version": env!("CARGO_PKG_VERSION") },
        "servers": [{ "url": s.web.base_url }],
        "security": [{ "bearer": [] }, { "session": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "A workspace API token (fdt_…)." },
                "session": { "type": "apiKey", "in": "cookie", "name": s.web.session_cookie() }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
                        "code": { "type": "string" }, "message": { "type": "string" }, "field": { "type": "string" } } } }
                }
            }
        }
    }))
}
