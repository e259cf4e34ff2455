//! Time as a port: production reads the system clock; tests move an offset to jump ahead.

use frontdesk_core::Timestamp;
use std::sync::atomic::{AtomicI64, Ordering};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

fn system_now() -> Timestamp {
    Timestamp(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0),
    )
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        system_now()
    }
}

/// The system clock plus an adjustable offset: time still flows, and a test can jump.
#[derive(Debug, Default)]
pub struct OffsetClock {
    offset_ms: AtomicI64,
}

impl OffsetClock {
    pub fn advance_ms(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> Timestamp {
        system_now().plus_millis(self.offset_ms.load(Ordering::SeqCst))
    }
}

/// The system clock plus an offset read from a file, for tests of the real binary across a
/// restart (`kill -9`): the offset (milliseconds, as text) is the file's content, re-read ten
/// times a second, so a test moves time by rewriting the file and a restarted process starts at
/// the same moved time. Only `FRONTDESK_TEST_CLOCK_FILE` turns it on; a server logs a warning.
#[derive(Debug)]
pub struct FileClock {
    offset_ms: std::sync::Arc<AtomicI64>,
}

impl FileClock {
    pub fn watch(path: std::path::PathBuf) -> Self {
        let offset_ms = std::sync::Arc::new(AtomicI64::new(read_offset(&path)));
        let o = offset_ms.clone();
        std::thread::spawn(move || loop {
            o.store(read_offset(&path), Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(100));
        });
        Self { offset_ms }
    }
}

fn read_offset(path: &std::path::Path) -> i64 {
    std::fs::read_to_string(path).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0)
}

impl Clock for FileClock {
    fn now(&self) -> Timestamp {
        system_now().plus_millis(self.offset_ms.load(Ordering::SeqCst))
    }
}
