//! HTTP to tenant-supplied URLs (outgoing webhooks, AI providers' base URLs), guarded against
//! server-side request forgery. The URL is checked when it is saved ([`check_url`]) and every
//! connection is checked again where it counts, after name resolution: the client's resolver
//! ([`GuardedResolver`]) refuses a name that resolves to any internal address, so a name that
//! changes its answer between the check and the call (DNS rebinding) is still refused.
//! Redirects are not followed. The rules per address are `core::netguard`.

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
    let ip = match url.host() {
        None => return Err(bad("it has no host")),
        Some(url::Host::Ipv4(a)) => Some(IpAddr::V4(a)),
        Some(url::Host::Ipv6(a)) => Some(IpAddr::V6(a)),
        Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") || d.ends_with(".localhost") => {
            Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST))
        }
        Some(url::Host::Domain(_)) => None,
    };
    if let Some(ip) = ip {
        netguard::check(ip, allowed)
            .map_err(|why| bad(&format!("{why} addresses are not reachable from this server")))?;
    }
    Ok(url)
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
