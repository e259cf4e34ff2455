//! HTTP to URLs the operator did not configure — tenant-supplied ones (outgoing webhooks, AI
//! providers' base URLs) and ones that arrive in a provider's payload (Instagram attachment
//! URLs, media URLs outside the provider's configured base) — guarded against server-side
//! request forgery. The URL is checked when it is saved ([`check_url`]) and every connection
//! is checked again where it counts, after name resolution: the client's resolver
//! ([`GuardedResolver`]) refuses a name that resolves to any internal address, so a name that
//! changes its answer between the check and the call (DNS rebinding) is still refused.
//! Redirects are never followed by the client; [`get`] follows a few itself, checking each hop
//! like the first. The rules per address are `core::netguard`.

use crate::error::{AppError, AppResult, ErrorKind};
use frontdesk_core::netguard::{self, Cidr};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Checks a URL a tenant gives us: http(s), a host, no credentials in it, and, when the host is
/// an address, an address the server may reach.
pub fn check_url(raw: &str, allowed: &[Cidr]) -> AppResult<reqwest::Url> {
    let bad =
        |why: &str| AppError::new(ErrorKind::Invalid, "url_not_allowed", format!("This URL cannot be used: {why}."));
    let url = reqwest::Url::parse(raw.trim()).map_err(|_| bad("it is not a valid URL"))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(bad("only http and https URLs are accepted"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("credentials belong in the secret, not in the URL"));
    }
    if let Some(ip) = literal_ip(&url).map_err(|_| bad("it has no host"))? {
        netguard::check(ip, allowed)
            .map_err(|why| bad(&format!("{why} addresses are not reachable from this server")))?;
    }
    Ok(url)
}

/// The address a URL's host names without asking DNS: a literal address, or loopback for
/// `localhost` and its subdomains (also written with the root's trailing dot, `localhost.`).
fn literal_ip(url: &reqwest::Url) -> Result<Option<IpAddr>, ()> {
    Ok(match url.host() {
        None => return Err(()),
        Some(url::Host::Ipv4(a)) => Some(IpAddr::V4(a)),
        Some(url::Host::Ipv6(a)) => Some(IpAddr::V6(a)),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            (d == "localhost" || d.ends_with(".localhost")).then_some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST))
        }
    })
}

/// A plain-http URL would carry an API key in clear, so it is accepted only for a host inside
/// the operator's allowed internal ranges (a local Ollama or vLLM); every address the name
/// resolves to must be inside them.
pub async fn check_plain_http(url: &reqwest::Url, allowed: &[Cidr]) -> AppResult<()> {
    if url.scheme() != "http" {
        return Ok(());
    }
    let refused = || {
        AppError::invalid(
            "base_url",
            "insecure_url",
            "Use https: a plain-http address is accepted only for a host inside the server's allowed internal ranges ([network] allow_private).",
        )
    };
    let inside = |ip: IpAddr| allowed.iter().any(|c| c.contains(ip));
    let addrs: Vec<IpAddr> = match literal_ip(url).map_err(|_| refused())? {
        Some(ip) => vec![ip],
        None => {
            let host = url.host_str().unwrap_or_default().to_string();
            let port = url.port_or_known_default().unwrap_or(80);
            let found = tokio::time::timeout(Duration::from_secs(5), tokio::net::lookup_host((host, port))).await;
            match found {
                Ok(Ok(it)) => it.map(|a| a.ip()).collect(),
                _ => vec![],
            }
        }
    };
    if addrs.is_empty() || !addrs.into_iter().all(inside) {
        return Err(refused());
    }
    Ok(())
}

/// Why a guarded fetch did not get an answer.
#[derive(Debug)]
pub enum FetchError {
    /// The URL, or a redirect, points where the server may not go; retrying cannot help.
    Refused(String),
    /// The transport failed (unreachable, timed out); worth another attempt.
    Transport(reqwest::Error),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Refused(why) => write!(f, "refused: {why}"),
            FetchError::Transport(e) => write!(f, "unreachable: {e}"),
        }
    }
}

/// Redirects a guarded fetch follows, each checked like the first URL.
const MAX_HOPS: usize = 3;

/// `GET url` with the guarded `client` (see [`client`]): every hop's URL is checked with
/// [`check_url`] and resolved by the guarded resolver, up to [`MAX_HOPS`] redirects. The
/// bearer token goes only to the first URL's origin. Returns the final, non-redirect answer.
pub async fn get(
    client: &reqwest::Client,
    url: &str,
    allowed: &[Cidr],
    bearer: Option<&str>,
    timeout: Duration,
) -> Result<reqwest::Response, FetchError> {
    let refused = |e: AppError| FetchError::Refused(e.message);
    let first = check_url(url, allowed).map_err(refused)?;
    let origin = first.origin();
    let mut url = first;
    for _ in 0..=MAX_HOPS {
        let mut rb = client.get(url.clone()).timeout(timeout);
        if let Some(b) = bearer.filter(|_| url.origin() == origin) {
            rb = rb.bearer_auth(b);
        }
        let r = rb.send().await.map_err(|e| match refusal(&e) {
            Some(why) => FetchError::Refused(why),
            None => FetchError::Transport(e),
        })?;
        if !r.status().is_redirection() {
            return Ok(r);
        }
        let next = r
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| url.join(l).ok())
            .ok_or_else(|| FetchError::Refused("a redirect without a usable Location".into()))?;
        url = check_url(next.as_str(), allowed).map_err(|e| FetchError::Refused(format!("redirect: {}", e.message)))?;
    }
    Err(FetchError::Refused(format!("more than {MAX_HOPS} redirects")))
}

/// The guard's refusal inside a transport error, if that is what it is.
fn refusal(e: &reqwest::Error) -> Option<String> {
    let mut src: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = src {
        if let Some(r) = s.downcast_ref::<Refused>() {
            return Some(r.to_string());
        }
        src = s.source();
    }
    // Some layers keep only the message of the resolver's error.
    let chain = format!("{e:?}");
    chain.contains(Refused::SUFFIX).then(|| {
        let at = chain.find(Refused::SUFFIX).unwrap_or(0);
        let start = chain[..at].rfind(['"', '(']).map(|i| i + 1).unwrap_or(0);
        chain[start..at + Refused::SUFFIX.len()].to_string()
    })
}

/// A resolver that refuses names resolving to addresses the server may not reach.
pub struct GuardedResolver {
    allowed: Arc<Vec<Cidr>>,
}

#[derive(Debug, thiserror::Error)]
#[error("{host} resolves to a {reason} address, which this server may not reach")]
pub struct Refused {
    host: String,
    reason: &'static str,
}

impl Refused {
    const SUFFIX: &'static str = "which this server may not reach";
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allowed = self.allowed.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            for a in &addrs {
                if let Err(reason) = netguard::check(a.ip(), &allowed) {
                    return Err(Box::new(Refused { host, reason }) as Box<dyn std::error::Error + Send + Sync>);
                }
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// An HTTP client for tenant-supplied URLs: guarded resolution, no redirects, a timeout.
/// Literal addresses in a URL skip resolution, so callers pass every URL through [`check_url`]
/// before each call too.
pub fn client(allowed: &[Cidr], timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(GuardedResolver { allowed: Arc::new(allowed.to_vec()) }))
        .redirect(reqwest::redirect::Policy::none())
        // A proxy from the environment would resolve the name itself, past our resolver.
        .no_proxy()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .build()
        .expect("the HTTP client builds")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_before_they_are_saved() {
        let code = |u: &str| check_url(u, &[]).err().map(|e| e.message);
        assert!(check_url("https://hooks.example.com/frontdesk?x=1", &[]).is_ok());
        for u in [
            "http://127.0.0.1:8080/",
            "http://localhost/",
            "http://localhost./",
            "http://LOCALHOST.:8080/",
            "http://api.localhost./",
            "http://[2002:7f00:1::]/",
            "http://[2002:a9fe:a9fe::]/latest/meta-data/",
            "http://api.localhost/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.5/hook",
            "http://[::ffff:192.168.0.1]/",
            "ftp://example.com/",
            "file:///etc/passwd",
            "https://user:pw@example.com/",
            "not a url",
        ] {
            assert!(code(u).is_some(), "{u} must be refused");
        }
        assert!(code("http://127.0.0.1/").unwrap().contains("loopback"));
        let lan = [Cidr::parse("10.0.0.0/8").unwrap()];
        assert!(check_url("http://10.0.0.5:11434/v1", &lan).is_ok(), "the operator allowed the LAN");
    }

    #[tokio::test]
    async fn a_plain_http_base_url_must_be_inside_the_allowed_ranges() {
        let lan = [Cidr::parse("10.0.0.0/8").unwrap(), Cidr::parse("127.0.0.0/8").unwrap()];
        let ok = |u: &str| reqwest::Url::parse(u).unwrap();
        assert!(check_plain_http(&ok("https://api.openai.com/v1"), &[]).await.is_ok());
        assert!(check_plain_http(&ok("http://10.0.0.5:11434/v1"), &lan).await.is_ok());
        assert!(check_plain_http(&ok("http://localhost:11434/v1"), &lan).await.is_ok());
        for (u, allowed) in [
            ("http://10.0.0.5:11434/v1", &[][..]),
            ("http://192.168.1.9/v1", &lan[..]),
            ("http://93.184.215.14/v1", &lan[..]),
        ] {
            let e = check_plain_http(&ok(u), allowed).await.expect_err(u);
            assert_eq!(e.code, "insecure_url", "{u}");
        }
    }

    #[tokio::test]
    async fn the_client_refuses_names_that_resolve_inside() {
        // `localhost` resolves to loopback: refused at connection time even though the URL's
        // host is a name.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let err = client(&[], Duration::from_secs(5))
            .get(format!("http://localhost:{port}/"))
            .send()
            .await
            .expect_err("refused");
        let chain = format!("{:?}", err);
        assert!(chain.contains("loopback"), "{chain}");
        // Allowed by the operator: the same call goes through to the listener.
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let (mut s, _) = listener.accept().await.unwrap();
            let mut req = Vec::new();
            let mut buf = [0u8; 1024];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = s.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                req.extend_from_slice(&buf[..n]);
            }
            let _ = s.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").await;
        });
        let ok = client(&[Cidr::parse("127.0.0.0/8").unwrap(), Cidr::parse("::1").unwrap()], Duration::from_secs(5))
            .get(format!("http://localhost:{port}/"))
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 204);
    }
}
