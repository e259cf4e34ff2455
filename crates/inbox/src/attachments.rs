//! Files agents send: checked (type by content, size), stored in the blob store before the
//! message is queued, then handed to each provider the way it takes files: WhatsApp uploads
//! to `/{phone_number_id}/media` and sends the media id, Telegram `sendPhoto`/`sendDocument`
//! as multipart, Instagram and web chat fetch a signed, short-lived link to us.

use crate::repo::inbox::{self as q, Media};
use crate::Inbox;
use frontdesk_core::inbox::ChannelKind;
use frontdesk_core::MediaId;
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use sha2::{Digest, Sha256};

/// Images above this are refused (WhatsApp's limit for images, the strictest of the channels).
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// How long a signed link to a file works (Instagram fetches it when the message is sent).
pub const LINK_TTL_MS: i64 = 24 * 3_600_000;

/// A file as an agent uploads it.
#[derive(Clone, Debug)]
pub struct Upload {
    pub filename: String,
    /// The type the client declared; checked against the content.
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// A checked file: `image` or `document`, with the type its content shows.
#[derive(Clone, Debug)]
pub struct Checked {
    pub kind: &'static str,
    pub mime: &'static str,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// The type a file's first bytes show, among the types every channel accepts.
fn sniff(b: &[u8]) -> Option<(&'static str, &'static str)> {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image", "image/jpeg"))
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image", "image/png"))
    } else if b.starts_with(b"%PDF-") {
        Some(("document", "application/pdf"))
    } else {
        None
    }
}

/// Office files (zip or OLE containers) and plain text are trusted by their declared type.
const DOCUMENT_TYPES: &[&str] = &[
    "text/plain",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
];

fn clean_filename(raw: &str, mime: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*'))
        .take(120)
        .collect();
    let name = name.trim().trim_start_matches('.').to_string();
    if !name.is_empty() {
        return name;
    }
    let ext = match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        _ => "bin",
    };
    format!("file.{ext}")
}

/// Checks an upload: not empty, within the size limits, a type every channel takes, and for
/// images and PDFs a content that is what it claims.
pub fn check(app: &Inbox, u: Upload) -> AppResult<Checked> {
    let too_large = |max: u64| {
        AppError::new(
            ErrorKind::TooLarge,
            "attachment_too_large",
            format!("The file is larger than {} MB.", max / (1024 * 1024)),
        )
    };
    if u.bytes.is_empty() {
        return Err(AppError::invalid("file", "required", "Choose a file to send."));
    }
    if u.bytes.len() as u64 > app.inbox.media_max_bytes {
        return Err(too_large(app.inbox.media_max_bytes));
    }
    let declared = u.mime.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let (kind, mime) = match sniff(&u.bytes) {
        Some((kind, mime)) => {
            if !declared.is_empty() && declared != "application/octet-stream" && declared != mime {
                return Err(AppError::invalid(
                    "file",
                    "attachment_type_mismatch",
                    format!("The file says it is {declared} but its content is {mime}."),
                ));
            }
            (kind, mime)
        }
        None => match DOCUMENT_TYPES.iter().find(|t| **t == declared) {
            Some(t) => ("document", *t),
            None => {
                return Err(AppError::new(
                    ErrorKind::UnsupportedMedia,
                    "unsupported_media_type",
                    "Send a JPEG or PNG image, a PDF, a text file or an Office document.",
                ))
            }
        },
    };
    if kind == "image" && u.bytes.len() > MAX_IMAGE_BYTES {
        return Err(too_large(MAX_IMAGE_BYTES as u64));
    }
    Ok(Checked { kind, mime, filename: clean_filename(&u.filename, mime), bytes: u.bytes })
}

/// What a channel cannot take, checked before anything is stored.
pub fn channel_accepts(kind: ChannelKind, file: &Checked, caption: &str) -> AppResult<()> {
    if kind == ChannelKind::Instagram {
        if file.kind != "image" {
            return Err(AppError::invalid(
                "file",
                "attachment_not_supported",
                "Instagram only takes images from businesses.",
            ));
        }
        if !caption.is_empty() {
            return Err(AppError::invalid(
                "text",
                "caption_not_supported",
                "Instagram does not show text with an image; send the text as its own message.",
            ));
        }
    }
    Ok(())
}

/// Stores the file's bytes; the media row is written with the message.
pub async fn store(app: &Inbox, ws: &frontdesk_core::WorkspaceId, file: &Checked) -> AppResult<(MediaId, String)> {
    let id = MediaId::new();
    let key = format!("media/{ws}/{id}");
    app.blobs.put(&key, &file.bytes).await.map_err(|e| {
        tracing::error!(error = %e, "blob store write failed");
        AppError::internal()
    })?;
    Ok((id, key))
}

pub fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// A link to a file that works without signing in until it expires.
pub fn signed_link(app: &Inbox, media: &MediaId, now: i64) -> String {
    let exp = (now + LINK_TTL_MS) / 1000;
    let sig = app.vault.sign_link(&format!("media:{media}:{exp}"));
    format!("{}/files/{media}?exp={exp}&sig={sig}", app.settings.base_url.trim_end_matches('/'))
}

/// The file behind a signed link, if the signature is right and the link has not expired.
pub async fn by_link(app: &Inbox, id: &str, exp: i64, sig: &str) -> AppResult<(Media, Vec<u8>)> {
    let nf = || AppError::not_found("The file");
    let id = MediaId::parse(id).ok_or_else(nf)?;
    if exp.saturating_mul(1000) < app.now().0 || !app.vault.check_link(&format!("media:{id}:{exp}"), sig) {
        return Err(nf());
    }
    let mut c = app.db.conn().await?;
    let m = q::media_by_id(&mut c, &id).await?.ok_or_else(nf)?;
    drop(c);
    let key = m.blob_key.clone().filter(|_| m.status == "stored").ok_or_else(nf)?;
    let bytes = app.blobs.get(&key).await.map_err(|_| nf())?;
    Ok((m, bytes))
}
