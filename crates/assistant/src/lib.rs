//! The local grounded assistant (work in progress).
