//! Outgoing email. Mails are queued as sealed jobs and delivered by a worker, through SMTP
//! (lettre) or, when no SMTP server is configured, into `./data/outbox/<job id>.eml`. The job
//! id is also the Message-ID, so a delivery retried after a crash is recognisably the same mail.

use crate::jobs::{self, JobError};
use crate::repo::jobs::Job;
use crate::vault::Place;
use crate::{AppResult, Platform};
use frontdesk_store::Conn;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

pub const KIND: &str = "mail.send";

#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// A display name for the From address (`Salon Lucía via Frontdesk`); the address itself
    /// stays the server's, so the mail passes the operator's SPF and DKIM.
    #[serde(default)]
    pub from_name: Option<String>,
    /// Where replies go (a business's own address).
    #[serde(default)]
    pub reply_to: Option<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// A file sent with a mail (a calendar invitation).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    /// The bytes, base64.
    pub data: String,
}

impl Attachment {
    pub fn new(filename: &str, content_type: &str, bytes: &[u8]) -> Self {
        use base64::Engine;
        Self {
            filename: filename.to_string(),
            content_type: content_type.to_string(),
            data: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }
}

impl std::fmt::Debug for Mail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Mail bodies carry single-use links: never log them.
        f.debug_struct("Mail").field("subject", &self.subject).finish_non_exhaustive()
    }
}

pub enum Transport {
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
    Folder { dir: PathBuf, from: Mailbox },
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp { .. } => f.write_str("Transport::Smtp"),
            Self::Folder { dir, .. } => write!(f, "Transport::Folder({})", dir.display()),
        }
    }
}

/// SMTP settings (`FRONTDESK__SMTP__*`).
#[derive(Clone, serde::Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    pub from: String,
    /// `starttls` (default: upgrade required), `tls` (implicit TLS, usually port 465) or
    /// `none` (plain text: only for a relay on the same machine or a test server).
    #[serde(default = "default_tls")]
    pub tls: String,
}

fn default_port() -> u16 {
    587
}

fn default_tls() -> String {
    "starttls".into()
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username.as_ref().map(|_| "<set>"))
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Transport {
    pub fn smtp(s: &SmtpSettings) -> Result<Self, String> {
        let from: Mailbox = s.from.parse().map_err(|e| format!("smtp.from {:?}: {e}", s.from))?;
        type Smtp = AsyncSmtpTransport<Tokio1Executor>;
        let tls_err = |e: lettre::transport::smtp::Error| format!("smtp TLS setup for {}: {e}", s.host);
        let b = match s.tls.as_str() {
            "none" => Smtp::builder_dangerous(&s.host),
            "starttls" => Smtp::starttls_relay(&s.host).map_err(tls_err)?,
            "tls" => Smtp::relay(&s.host).map_err(tls_err)?,
            other => return Err(format!("smtp.tls must be starttls, tls or none (got {other:?})")),
        };
        let mut b = b.port(s.port).timeout(Some(std::time::Duration::from_secs(20)));
        if let (Some(u), Some(p)) = (&s.username, &s.password) {
            b = b.credentials(lettre::transport::smtp::authentication::Credentials::new(u.clone(), p.clone()));
        }
        Ok(Self::Smtp { transport: b.build(), from })
    }

    pub fn folder(dir: PathBuf, from: &str) -> Result<Self, String> {
        let from: Mailbox = from.parse().map_err(|e| format!("mail from {from:?}: {e}"))?;
        Ok(Self::Folder { dir, from })
    }

    fn build(&self, mail: &Mail, message_id: &str) -> Result<Message, JobError> {
        let from = match self {
            Self::Smtp { from, .. } | Self::Folder { from, .. } => from.clone(),
        };
        let from = match mail.from_name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => Mailbox::new(Some(name.to_string()), from.email),
            None => from,
        };
        let to: Mailbox = mail.to.parse().map_err(|_| JobError::Permanent("invalid recipient".into()))?;
        let mut b = Message::builder()
            .from(from)
            .to(to)
            .subject(&mail.subject)
            .message_id(Some(format!("<{message_id}@frontdesk>")));
        // A reply-to that does not parse is left out rather than failing the mail.
        if let Some(r) = mail.reply_to.as_deref().and_then(|r| r.parse::<Mailbox>().ok()) {
            b = b.reply_to(r);
        }
        use lettre::message::{Attachment as Part, MultiPart, SinglePart};
        let product = match self {
            Self::Smtp { from, .. } | Self::Folder { from, .. } => from.name.clone().unwrap_or_default(),
        };
        let body = MultiPart::alternative()
            .singlepart(text_part(&mail.text))
            .singlepart(SinglePart::html(html_of(&mail.text, mail.from_name.as_deref().unwrap_or(&product))));
        let built = if mail.attachments.is_empty() {
            b.multipart(body)
        } else {
            use base64::Engine;
            let mut mixed = MultiPart::mixed().multipart(body);
            for a in &mail.attachments {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(&a.data)
                    .map_err(|_| JobError::Permanent("an attachment is not base64".into()))?;
                let ct = ContentType::parse(&a.content_type)
                    .map_err(|_| JobError::Permanent("an attachment's type is not valid".into()))?;
                mixed = mixed.singlepart(Part::new(a.filename.clone()).body(bytes, ct));
            }
            b.multipart(mixed)
        };
        built.map_err(|e| JobError::Permanent(format!("cannot build the message: {e}")))
    }

    /// Delivers one mail. Connection problems and 4xx replies are transient; 5xx permanent.
    pub async fn deliver(&self, mail: &Mail, message_id: &str) -> Result<(), JobError> {
        let msg = self.build(mail, message_id)?;
        match self {
            Self::Smtp { transport, .. } => transport.send(msg).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    JobError::Permanent(format!("SMTP refused the message: {e}"))
                } else {
                    JobError::Transient(format!("SMTP: {e}"))
                }
            }),
            Self::Folder { dir, .. } => {
                let bytes = msg.formatted();
                let io = |e: std::io::Error| JobError::Transient(format!("outbox folder: {e}"));
                tokio::fs::create_dir_all(dir).await.map_err(io)?;
                let tmp = dir.join(format!(".{message_id}.tmp"));
                tokio::fs::write(&tmp, &bytes).await.map_err(io)?;
                // Same name for the same job: a retried delivery replaces, never duplicates.
                tokio::fs::rename(&tmp, dir.join(format!("{message_id}.eml"))).await.map_err(io)
            }
        }
    }
}

/// The plain-text part, sent as is (7bit, or 8bit with accents) so that every link stays whole
/// on its own line: quoted-printable folds lines at 76 characters with `=` soft breaks, which
/// break a link when the mail is read raw or copied from an `.eml`. Lines of up to 998 octets
/// are what SMTP allows (RFC 5322 §2.1.1); lettre's own choice stops at 76, so the body is
/// handed over as already encoded. Only a line too long for SMTP lets lettre pick an encoding
/// that folds.
fn text_part(text: &str) -> lettre::message::SinglePart {
    use lettre::message::header::ContentTransferEncoding;
    use lettre::message::{Body, SinglePart};
    let text = text.replace("\r\n", "\n");
    if text.lines().any(|l| l.len() > 990) || text.contains('\0') || text.contains('\r') {
        return SinglePart::plain(text);
    }
    let encoding = if text.is_ascii() { ContentTransferEncoding::SevenBit } else { ContentTransferEncoding::EightBit };
    let crlf = text.replace('\n', "\r\n").into_bytes();
    SinglePart::builder().header(ContentType::TEXT_PLAIN).body(Body::dangerous_pre_encoded(crlf, encoding))
}

/// The HTML part, made from the text: the app shell's colours and type (the sender's name in the
/// sidebar's navy, the body on a white card), paragraphs as written, links clickable and whole.
/// Everything is escaped.
pub fn html_of(text: &str, sender: &str) -> String {
    fn esc(s: &str) -> String {
        s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
    }
    let mut body = String::new();
    for para in text.replace("\r\n", "\n").split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let lines: Vec<&str> = para.lines().map(str::trim).collect();
        let html: Vec<String> = lines
            .iter()
            .map(|l| {
                if (l.starts_with("https://") || l.starts_with("http://")) && !l.contains(' ') {
                    format!("<a href=\"{0}\" style=\"color:#2150c4;word-break:break-all\">{0}</a>", esc(l))
                } else {
                    esc(l)
                }
            })
            .collect();
        body.push_str(&format!("<p style=\"margin:0 0 16px\">{}</p>", html.join("<br>")));
    }
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"></head>\
         <body style=\"margin:0;background:#f5f6f8;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;\
         font-size:15px;line-height:1.5;color:#1a1e24\"><table role=\"presentation\" width=\"100%\" cellspacing=\"0\" \
         cellpadding=\"0\" style=\"background:#f5f6f8\"><tr><td align=\"center\" style=\"padding:24px 12px\">\
         <table role=\"presentation\" width=\"100%\" cellspacing=\"0\" cellpadding=\"0\" style=\"max-width:560px\">\
         <tr><td style=\"background:#16233a;color:#dfe6f2;padding:14px 24px;border-radius:8px 8px 0 0;font-weight:700\">{}</td></tr>\
         <tr><td style=\"background:#ffffff;padding:24px;border:1px solid #d5dae1;border-top:0;border-radius:0 0 8px 8px\">{body}</td></tr>\
         </table></td></tr></table></body></html>",
        esc(sender)
    )
}

fn place(job_id: &str) -> Place<'_> {
    Place { workspace: "platform", table: "jobs", column: "payload", row: job_id }
}

/// Queues a mail inside the caller's transaction: it is sent only if the change that caused
/// it commits.
pub async fn enqueue(app: &Platform, c: &mut Conn, mail: &Mail) -> AppResult<()> {
    let id = frontdesk_core::JobId::new();
    let json = serde_json::to_vec(mail).unwrap_or_default();
    let sealed = app.vault.seal(place(id.as_str()), &json);
    jobs::enqueue_with_id(app, c, &id, KIND, &sealed, None, 8).await?;
    Ok(())
}

/// A mail to every owner of the workspace, in each one's own language: `words` gives the
/// subject and the text in a language. Queued in the caller's transaction.
pub async fn to_owners(
    app: &Platform,
    c: &mut Conn,
    ws: &frontdesk_core::WorkspaceId,
    words: impl Fn(frontdesk_core::lang::Lang) -> (String, String),
) -> AppResult<()> {
    let members = crate::repo::workspaces::members(c, ws).await?;
    for m in members.iter().filter(|m| m.role == frontdesk_core::Role::Owner) {
        let lang = crate::repo::users::by_id(c, &m.user_id)
            .await?
            .and_then(|u| u.lang)
            .and_then(|l| frontdesk_core::lang::Lang::parse(&l))
            .unwrap_or(frontdesk_core::lang::Lang::En);
        let (subject, text) = words(lang);
        let mail = Mail { to: m.email.clone(), subject, text, ..Default::default() };
        enqueue(app, c, &mail).await?;
    }
    Ok(())
}

/// The plaintext of a queued mail's sealed payload (`None` when it is not one), for the
/// privacy area's search for a person's data in the queue.
pub fn open_queued(app: &Platform, job_id: &str, payload: &str) -> Option<Vec<u8>> {
    app.vault.open(place(job_id), payload).ok()
}

/// The job handler.
pub async fn handle(app: Platform, job: Job) -> Result<(), JobError> {
    let plain = app
        .vault
        .open(place(job.id.as_str()), &job.payload)
        .map_err(|e| JobError::Permanent(format!("cannot open the queued mail: {e}")))?;
    let mail: Mail =
        serde_json::from_slice(&plain).map_err(|e| JobError::Permanent(format!("bad mail payload: {e}")))?;
    app.mailer.deliver(&mail, job.id.as_str()).await?;
    app.metrics.mails_sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(())
}
