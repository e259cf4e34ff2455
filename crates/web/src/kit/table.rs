//! The route table: every route is declared once, with its method, path, who may call it and
//! a summary; the router, the OpenAPI document and the tenancy test are all built from it.
//! A JSON API route also declares what it reads besides its path: its request body
//! ([`Table::body`], [`Table::optional_body`], [`Table::file_body`] or [`Table::no_body`]) and
//! its query string ([`Table::query`]), by naming the very types its handler deserializes, so
//! the document's schemas come from those types; and what it answers when it succeeds
//! ([`Table::returns`], [`Table::created`], [`Table::created_or_repeated`], [`Table::done`], or
//! [`Table::produces`] for a file), by naming the type its handler serializes.

use crate::AppState;
use axum::routing::MethodRouter;
use axum::Router;
use frontdesk_core::Action;
use schemars::{JsonSchema, Schema, SchemaGenerator};

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone (sign-in pages, health checks, invitation links).
    Public,
    /// A signed-in person; no workspace involved (their own account, their workspace list).
    Account,
    /// A platform operator.
    Operator,
    /// A member or API token of the workspace in the path, with this permission.
    Workspace(Action),
    /// The caller's workspace, with this permission: an API token's own workspace, or for a
    /// cookie session the workspace it switched to (or the person's only workspace).
    Current(Action),
}

/// Makes the JSON Schema of a type with the document's generator: a `$ref` for a named type
/// (its definition kept by the generator), or the schema itself.
pub type SchemaOf = fn(&mut SchemaGenerator) -> Schema;

/// What a route reads as its request body.
#[derive(Clone, Copy, Debug)]
pub enum RequestBody {
    /// Nothing: the route ignores any body.
    Empty,
    /// A JSON object of this schema; `required: false` when an empty body is taken too.
    Json { schema: SchemaOf, required: bool },
    /// A file, sent as the body itself with its own `Content-Type`.
    File,
}

/// What a route answers when it succeeds.
#[derive(Clone, Copy, Debug)]
pub enum Success {
    /// 200, with a JSON body of this schema; without one, a body of the declared media types
    /// (a file).
    Ok(Option<SchemaOf>),
    /// 201, with a JSON body of this schema.
    Created(SchemaOf),
    /// 201 with a JSON body of this schema when the request made something; 200 with the same
    /// when it repeated a request that did (the same `Idempotency-Key`, a draft sent again).
    CreatedOrRepeated(SchemaOf),
    /// 204, no body.
    NoContent,
}

#[derive(Clone, Debug)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    /// Part of the JSON API (and the OpenAPI document).
    pub api: bool,
    pub summary: &'static str,
    /// The request body, where declared (every JSON API route with an unsafe method does).
    pub body: Option<RequestBody>,
    /// The query string's schema (an object, one property per parameter), if it reads one.
    pub query: Option<SchemaOf>,
    /// Its success answer, where declared (every JSON API route does).
    pub success: Option<Success>,
    /// The media types of its success answer (JSON unless said otherwise).
    pub produces: &'static [&'static str],
}

pub struct Table {
    pub(crate) router: Router<AppState>,
    pub(crate) specs: Vec<RouteSpec>,
}

fn reference<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

fn inline<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    T::json_schema(g)
}

impl Table {
    pub(crate) fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        access: Access,
        summary: &'static str,
        mr: MethodRouter<AppState>,
    ) -> Self {
        self.specs.push(RouteSpec {
            method,
            path,
            access,
            api: path.starts_with("/api/v1/"),
            summary,
            body: None,
            query: None,
            success: None,
            produces: &["application/json"],
        });
        self.router = self.router.route(path, mr);
        self
    }

    fn last(&mut self) -> &mut RouteSpec {
        self.specs.last_mut().expect("a route was added before its body or query")
    }

    /// The last added route reads a JSON body of type `T`.
    pub(crate) fn body<T: JsonSchema>(mut self) -> Self {
        self.last().body = Some(RequestBody::Json { schema: reference::<T>, required: true });
        self
    }

    /// The last added route reads a JSON body of type `T`, or takes an empty one.
    pub(crate) fn optional_body<T: JsonSchema>(mut self) -> Self {
        self.last().body = Some(RequestBody::Json { schema: reference::<T>, required: false });
        self
    }

    /// The last added route reads a file as its body.
    pub(crate) fn file_body(mut self) -> Self {
        self.last().body = Some(RequestBody::File);
        self
    }

    /// The last added route reads no body.
    pub(crate) fn no_body(mut self) -> Self {
        self.last().body = Some(RequestBody::Empty);
        self
    }

    /// The last added route answers with these media types (`*/*`: the file's own), with 200
    /// (and the schema of [`Table::returns`] for its JSON, if it answers JSON too).
    pub(crate) fn produces(mut self, types: &'static [&'static str]) -> Self {
        let last = self.last();
        last.produces = types;
        last.success.get_or_insert(Success::Ok(None));
        self
    }

    /// The last added route answers 200 with a JSON body of type `T`.
    pub(crate) fn returns<T: JsonSchema>(mut self) -> Self {
        self.last().success = Some(Success::Ok(Some(reference::<T>)));
        self
    }

    /// The last added route answers 201 with a JSON body of type `T`.
    pub(crate) fn created<T: JsonSchema>(mut self) -> Self {
        self.last().success = Some(Success::Created(reference::<T>));
        self
    }

    /// The last added route answers 201 with a JSON body of type `T`, or 200 with the same
    /// when the request repeats one that already did it.
    pub(crate) fn created_or_repeated<T: JsonSchema>(mut self) -> Self {
        self.last().success = Some(Success::CreatedOrRepeated(reference::<T>));
        self
    }

    /// The last added route answers 204, no body.
    pub(crate) fn done(mut self) -> Self {
        self.last().success = Some(Success::NoContent);
        self
    }

    /// The last added route reads its query string as `Q`.
    pub(crate) fn query<Q: JsonSchema>(mut self) -> Self {
        self.last().query = Some(inline::<Q>);
        self
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_api_route_that_can_carry_a_body_says_what_it_reads() {
        for r in crate::route_specs().iter().filter(|r| r.api) {
            let unsafe_method = matches!(r.method, "POST" | "PUT" | "PATCH");
            if unsafe_method {
                assert!(
                    r.body.is_some(),
                    "{} {} declares no body (use .body, .optional_body, .file_body or .no_body)",
                    r.method,
                    r.path
                );
            } else {
                assert!(
                    matches!(r.body, None | Some(super::RequestBody::Empty)),
                    "{} {} cannot have a body",
                    r.method,
                    r.path
                );
            }
        }
    }

    #[test]
    fn every_api_route_says_what_it_answers() {
        for r in crate::route_specs().iter().filter(|r| r.api) {
            assert!(
                r.success.is_some(),
                "{} {} declares no answer (use .returns, .created, .created_or_repeated, .done or .produces)",
                r.method,
                r.path
            );
            if matches!(r.success, Some(super::Success::Ok(None))) {
                assert!(
                    !r.produces.contains(&"application/json"),
                    "{} {} answers JSON without saying its type (use .returns)",
                    r.method,
                    r.path
                );
            }
        }
    }
}
