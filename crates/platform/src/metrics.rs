//! Process counters rendered in the Prometheus text format at `/metrics`.

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default, Debug)]
pub struct Metrics {
    pub http_requests: [AtomicU64; 5],
    pub jobs_done: AtomicU64,
    pub jobs_failed: AtomicU64,
    pub mails_sent: AtomicU64,
    pub logins_ok: AtomicU64,
    pub logins_failed: AtomicU64,
}

impl Metrics {
    pub fn count_response(&self, status: u16) {
        let class = (status / 100).clamp(1, 5) as usize - 1;
        self.http_requests[class].fetch_add(1, Ordering::Relaxed);
    }

    /// Renders the counters plus the queue depth per job status.
    pub fn render(&self, jobs: &[(String, i64)], db_up: bool) -> String {
        let mut s = String::new();
        s.push_str("# HELP frontdesk_http_responses_total HTTP responses by status class.\n# TYPE frontdesk_http_responses_total counter\n");
        for (i, c) in self.http_requests.iter().enumerate() {
            s.push_str(&format!(
                "frontdesk_http_responses_total{{class=\"{}xx\"}} {}\n",
                i + 1,
                c.load(Ordering::Relaxed)
            ));
        }
        let counters = [
            ("frontdesk_jobs_completed_total", "Jobs completed.", &self.jobs_done),
            ("frontdesk_jobs_failed_total", "Job attempts that failed.", &self.jobs_failed),
            ("frontdesk_mails_sent_total", "Emails handed to SMTP or the outbox folder.", &self.mails_sent),
            ("frontdesk_logins_total", "Successful sign-ins.", &self.logins_ok),
            ("frontdesk_login_failures_total", "Failed sign-ins.", &self.logins_failed),
        ];
        for (name, help, v) in counters {
            s.push_str(&format!("# HELP {name} {help}\n# TYPE {name} counter\n{name} {}\n", v.load(Ordering::Relaxed)));
        }
        s.push_str("# HELP frontdesk_jobs Jobs in the queue by status.\n# TYPE frontdesk_jobs gauge\n");
        for (status, n) in jobs {
            s.push_str(&format!("frontdesk_jobs{{status=\"{status}\"}} {n}\n"));
        }
        s.push_str(&format!("# HELP frontdesk_database_up Database reachable.\n# TYPE frontdesk_database_up gauge\nfrontdesk_database_up {}\n", u8::from(db_up)));
        s
    }
}
