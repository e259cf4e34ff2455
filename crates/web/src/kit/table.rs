//! The route table: every route is declared once, with its method, path, who may call it and
//! a summary; the router, the OpenAPI document and the tenancy test are all built from it.

use crate::AppState;
use axum::routing::MethodRouter;
use axum::Router;
use frontdesk_core::Action;

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

#[derive(Clone, Debug)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    /// Part of the JSON API (and the OpenAPI document).
    pub api: bool,
    pub summary: &'static str,
}

pub struct Table {
    pub(crate) router: Router<AppState>,
    pub(crate) specs: Vec<RouteSpec>,
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
        self.specs.push(RouteSpec { method, path, access, api: path.starts_with("/api/v1/"), summary });
        self.router = self.router.route(path, mr);
        self
    }
}
