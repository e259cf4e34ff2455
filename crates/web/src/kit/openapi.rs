//! The OpenAPI 3.1 document of the JSON API, generated from the route table, so a route cannot
//! exist without being documented. Request bodies and query parameters are described by the
//! JSON Schemas of the types the handlers deserialize (derived with `schemars`); the named
//! ones are kept once under `components/schemas`.

use crate::kit::table::RequestBody;
use crate::{Access, AppState, RouteSpec};
use axum::extract::State;
use axum::Json;
use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};

pub async fn document(State(s): State<AppState>) -> Json<Value> {
    Json(build(&s.routes, &s.web.base_url, s.web.session_cookie()))
}

/// The document for these routes (those with `api: true`).
pub fn build(routes: &[RouteSpec], base_url: &str, session_cookie: &str) -> Value {
    // JSON Schema 2020-12 is OpenAPI 3.1's own dialect; only the definitions move.
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator();
    let mut paths = Map::new();
    for r in routes.iter().filter(|r| r.api) {
        let mut params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|x| x.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        if let Some(query) = r.query {
            params.extend(query_parameters((query)(&mut generator).to_value()));
        }
        let mut op = json!({
            "summary": r.summary,
            "description": who(r.access),
            "parameters": params,
            "responses": responses(r),
        });
        match r.body {
            None | Some(RequestBody::Empty) => {}
            Some(RequestBody::Json { schema, required }) => {
                op["requestBody"] = json!({
                    "required": required,
                    "content": { "application/json": { "schema": (schema)(&mut generator).to_value() } },
                });
            }
            Some(RequestBody::File) => {
                op["requestBody"] = json!({
                    "required": true,
                    "description": "The file itself; its Content-Type is checked against its content.",
                    "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } },
                });
            }
        }
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method.to_lowercase()] = op;
    }
    let mut schemas = generator.take_definitions(true);
    schemas.insert(
        "Error".into(),
        json!({
            "type": "object",
            "required": ["error"],
            "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
                "code": { "type": "string", "description": "Stable, for programs." },
                "message": { "type": "string", "description": "A sentence for people." },
                "field": { "type": "string", "description": "The input field at fault, if one is." } } } }
        }),
    );
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Frontdesk API", "version": env!("CARGO_PKG_VERSION") },
        "servers": [{ "url": base_url }],
        "security": [{ "bearer": [] }, { "session": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "A workspace API token (fdt_…)." },
                "session": { "type": "apiKey", "in": "cookie", "name": session_cookie }
            },
            "schemas": schemas,
        }
    })
}

fn who(access: Access) -> String {
    match access {
        Access::Public => "Anyone.".to_string(),
        Access::Account => {
            "A signed-in person (cookie session); `GET /me` and `GET /workspaces` also accept API tokens.".to_string()
        }
        Access::Operator => "A platform operator (cookie session).".to_string(),
        Access::Workspace(a) => format!("A member or API token of the workspace whose role allows `{a:?}`."),
        Access::Current(a) => format!(
            "An API token (acting in its workspace) or a member's session (acting in the workspace they switched to), whose role allows `{a:?}`."
        ),
    }
}

/// One `in: query` parameter per property of a query string's object schema. A parameter is
/// absent or a value, never null: `Option<T>`'s null is left out of its schema.
fn query_parameters(schema: Value) -> Vec<Value> {
    let required: Vec<&str> =
        schema["required"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let Some(props) = schema["properties"].as_object() else { return Vec::new() };
    props
        .iter()
        .map(|(name, s)| {
            let mut s = without_null(s.clone());
            let mut p = json!({ "name": name, "in": "query", "required": required.contains(&name.as_str()) });
            if let Some(d) = s.as_object_mut().and_then(|o| o.remove("description")) {
                p["description"] = d;
            }
            p["schema"] = s;
            p
        })
        .collect()
}

fn without_null(mut s: Value) -> Value {
    if let Some(types) = s.get_mut("type").and_then(Value::as_array_mut) {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            s["type"] = types[0].clone();
        }
        return s;
    }
    if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
        let rest: Vec<&Value> = any.iter().filter(|x| x.get("type").is_none_or(|t| t != "null")).collect();
        if let [only] = rest.as_slice() {
            return (*only).clone();
        }
    }
    s
}

/// What a route answers: its success statuses, with a JSON body (or the media types it
/// declares), and the JSON error of every 4xx and 5xx.
fn responses(r: &RouteSpec) -> Value {
    let content = |types: &[&str]| -> Value {
        types
            .iter()
            .map(|t| {
                // Any JSON value; other media types (a file, a CSV export) are not JSON-checked.
                let m = if *t == "application/json" { json!({ "schema": {} }) } else { json!({}) };
                (t.to_string(), m)
            })
            .collect::<Map<String, Value>>()
            .into()
    };
    let error = json!({ "description": "Error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    json!({
        "200": { "description": "Success", "content": content(r.produces) },
        "201": { "description": "Created", "content": content(&["application/json"]) },
        "204": { "description": "Done" },
        "4XX": error,
        "5XX": error,
    })
}
