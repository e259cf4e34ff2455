//! The OpenAPI 3.1 document of the JSON API, generated from the route table, so a route cannot
//! exist without being documented. Request bodies and query parameters are described by the
//! JSON Schemas of the types the handlers deserialize, answers by those of the types they
//! serialize (derived with `schemars`, as each type is read or as it is written); the named
//! ones are kept once under `components/schemas`.

use crate::kit::table::{RequestBody, SchemaOf, Success};
use crate::{Access, AppState, RouteSpec};
use axum::extract::State;
use axum::Json;
use schemars::generate::SchemaSettings;
use schemars::SchemaGenerator;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub async fn document(State(s): State<AppState>) -> Json<Value> {
    Json(build(&s.routes, &s.web.base_url, s.web.session_cookie()))
}

/// A generator of JSON Schema 2020-12, OpenAPI 3.1's own dialect, whose definitions go to
/// `components/schemas`.
fn generator(settings: SchemaSettings) -> SchemaGenerator {
    settings
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator()
}

/// The document for these routes (those with `api: true`).
pub fn build(routes: &[RouteSpec], base_url: &str, session_cookie: &str) -> Value {
    // What a route reads is described as its type deserializes (a field with a default may be
    // left out), what it answers as its type serializes (such a field is always there).
    let mut reads = generator(SchemaSettings::draft2020_12().for_deserialize());
    let mut answers = generator(SchemaSettings::draft2020_12().for_serialize());
    let mut ops = Vec::new();
    for r in routes.iter().filter(|r| r.api) {
        let mut params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|x| x.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        if let Some(query) = r.query {
            params.extend(query_parameters((query)(&mut reads).to_value()));
        }
        let mut op = json!({
            "summary": r.summary,
            "description": who(r.access),
            "parameters": params,
        });
        match r.body {
            None | Some(RequestBody::Empty) => {}
            Some(RequestBody::Json { schema, required }) => {
                op["requestBody"] = json!({
                    "required": required,
                    "content": { "application/json": { "schema": (schema)(&mut reads).to_value() } },
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
        let answer = answer_schema(r.success, &mut answers);
        ops.push((r, op, answer));
    }
    let mut schemas = reads.take_definitions(true);
    let renamed = add_answer_definitions(&mut schemas, answers.take_definitions(true));
    let mut paths = Map::new();
    for (r, mut op, mut answer) in ops {
        if let Some(a) = &mut answer {
            rename_refs(a, &renamed);
        }
        op["responses"] = responses(r, answer);
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method.to_lowercase()] = op;
    }
    assert!(!schemas.contains_key("Error"), "a type is called Error, as the document's error is");
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

/// The JSON schema of a route's success answer, if it has one.
fn answer_schema(success: Option<Success>, g: &mut SchemaGenerator) -> Option<Value> {
    let schema: SchemaOf = match success? {
        Success::Ok(s) => s?,
        Success::Created(s) | Success::CreatedOrRepeated(s) => s,
        Success::NoContent => return None,
    };
    Some((schema)(g).to_value())
}

/// Adds the definitions of answer types to those of request types. A type both read and
/// answered whose two schemas differ (fields with a default: optional when read, always
/// written) keeps its name for the request and is `{name}Out` as an answer; so is a type
/// whose answer refers to such a one. Returns those new names.
fn add_answer_definitions(schemas: &mut Map<String, Value>, answers: Map<String, Value>) -> BTreeMap<String, String> {
    let mut renamed = BTreeMap::new();
    loop {
        let before = renamed.len();
        for (name, schema) in &answers {
            if renamed.contains_key(name) {
                continue;
            }
            if let Some(read) = schemas.get(name) {
                let mut schema = schema.clone();
                rename_refs(&mut schema, &renamed);
                if *read != schema {
                    let new = format!("{name}Out");
                    assert!(
                        !schemas.contains_key(&new) && !answers.contains_key(&new),
                        "{new} is taken: the answer schema of {name} needs another name"
                    );
                    renamed.insert(name.clone(), new);
                }
            }
        }
        if renamed.len() == before {
            break;
        }
    }
    for (name, mut schema) in answers {
        rename_refs(&mut schema, &renamed);
        match renamed.get(&name) {
            Some(new) => {
                schemas.insert(new.clone(), schema);
            }
            None => {
                schemas.entry(name).or_insert(schema);
            }
        }
    }
    renamed
}

/// Points the `$ref`s to renamed definitions at their new names.
fn rename_refs(v: &mut Value, renamed: &BTreeMap<String, String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if k == "$ref" {
                    if let Some(new) = x
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        .and_then(|name| renamed.get(name))
                    {
                        *x = Value::from(format!("#/components/schemas/{new}"));
                    }
                } else {
                    rename_refs(x, renamed);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rename_refs(x, renamed)),
        _ => {}
    }
}

/// What a route answers: its one success status (two when a repeated request is answered as
/// such), with its JSON schema or the media types it declares, and the JSON error of every
/// 4xx and 5xx.
fn responses(r: &RouteSpec, answer: Option<Value>) -> Value {
    let content = || -> Value {
        r.produces
            .iter()
            .map(|t| {
                // Other media types (a file, a CSV export) are not JSON-checked.
                let m = match (&answer, *t) {
                    (Some(schema), "application/json") => json!({ "schema": schema }),
                    _ => json!({}),
                };
                (t.to_string(), m)
            })
            .collect::<Map<String, Value>>()
            .into()
    };
    let error = json!({ "description": "Error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let mut out = Map::new();
    match r.success {
        None => {}
        Some(Success::Ok(_)) => {
            out.insert("200".into(), json!({ "description": "Success", "content": content() }));
        }
        Some(Success::Created(_)) => {
            out.insert("201".into(), json!({ "description": "Created", "content": content() }));
        }
        Some(Success::CreatedOrRepeated(_)) => {
            out.insert("201".into(), json!({ "description": "Created", "content": content() }));
            out.insert(
                "200".into(),
                json!({ "description": "Already done by an earlier request: what it made", "content": content() }),
            );
        }
        Some(Success::NoContent) => {
            out.insert("204".into(), json!({ "description": "Done" }));
        }
    }
    out.insert("4XX".into(), error.clone());
    out.insert("5XX".into(), error);
    out.into()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    match (k.as_str(), x) {
                        ("$ref", Value::String(r)) => out.push(r),
                        _ => refs(x, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }

    #[test]
    fn every_success_answer_has_its_schema_and_every_reference_resolves() {
        let doc = super::build(&crate::route_specs(), "http://localhost:8080", "fd_session");
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let mut all = Vec::new();
        refs(&doc, &mut all);
        for r in all {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{r} points elsewhere"));
            assert!(schemas.contains_key(name), "{r} is not defined");
        }
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for (method, op) in ops.as_object().unwrap() {
                let responses = op["responses"].as_object().unwrap();
                let success: Vec<&String> = responses.keys().filter(|s| s.starts_with('2')).collect();
                assert!(!success.is_empty(), "{method} {path} documents no success");
                for s in success {
                    if s == "204" {
                        assert!(responses[s].get("content").is_none(), "{method} {path}: a 204 has no body");
                        continue;
                    }
                    let content = responses[s]["content"].as_object().unwrap();
                    assert!(!content.is_empty(), "{method} {path} {s} has no content");
                    if let Some(json) = content.get("application/json") {
                        let schema = &json["schema"];
                        assert!(
                            schema.is_object() && schema != &serde_json::json!({}),
                            "{method} {path} {s}: any JSON"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_type_both_read_and_answered_is_named_apart_where_its_schemas_differ() {
        let doc = super::build(&crate::route_specs(), "http://localhost:8080", "fd_session");
        let schemas = &doc["components"]["schemas"];
        let knowledge = &doc["paths"]["/api/v1/assistant/knowledge"]["put"];
        assert_eq!(
            knowledge["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Knowledge"
        );
        assert_eq!(
            knowledge["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/KnowledgeOut"
        );
        // Read, a field with a default may be left out; answered, it is always there.
        let required = |name: &str| schemas[name]["required"].as_array().cloned().unwrap_or_default();
        assert!(!required("Knowledge").contains(&"services".into()));
        assert!(required("KnowledgeOut").contains(&"services".into()));
        assert_eq!(schemas["KnowledgeOut"]["properties"]["profile"]["$ref"], "#/components/schemas/ProfileOut");
        // The same schema either way: one definition.
        assert!(schemas.get("Faq").is_some() && schemas.get("FaqOut").is_none());
    }
}
