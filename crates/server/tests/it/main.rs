//! The integration suite: the real server over real HTTP on loopback, on SQLite by default and
//! on PostgreSQL when `TEST_DATABASE_URL` is set.

mod billing;
mod bookings;
mod helpers;
mod inbox;
mod pages;
mod phones;
mod platform;
mod privacy;
mod snapshot;
