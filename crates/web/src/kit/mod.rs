//! What every area's routes share: the route table and access classes, extractors, request
//! bodies, errors, middleware, the page layout and the OpenAPI document.

pub mod answer;
pub mod body;
pub mod error;
pub mod extract;
pub mod layout;
pub mod middleware;
pub mod openapi;
pub mod shell;
pub mod table;
