//! OpenID Connect relying-party core for "Sign in with Google" (authorization code flow with PKCE).
//!
//! This module does no I/O: the caller fetches the discovery document, the JWKS and the token
//! response over HTTP and hands the bytes to the functions here. Everything that comes from the
//! network is treated as untrusted, so every function returns an [`OidcError`] instead of
//! panicking on bad input.
//!
//! The flow, from the caller's point of view:
//! 1. [`parse_discovery`] and [`parse_jwks`] on the provider's documents (cache both).
//! 2. [`pkce`] plus two [`random_token`]s (state, nonce), kept server-side for the login attempt;
//!    redirect the browser to [`authorize_url`].
//! 3. On the callback, check `state`, POST [`token_form`] to the token endpoint, take the
//!    ID token with [`id_token_of`] and check it with [`verify_id_token`].

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::rngs::OsRng;
use rand::RngCore as _;
use ring::signature::{RsaKeyPair, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

/// Clock skew tolerated between us and the provider when checking `exp`, `iat` and `nbf`.
const LEEWAY_SECS: i64 = 60;

/// Longest `sub` accepted; OpenID Connect Core caps it at 255 ASCII characters.
const MAX_SUB_LEN: usize = 255;

/// Scopes requested: the identity itself plus the e-mail address and display profile.
const SCOPE: &str = "openid email profile";

/// Why an OpenID Connect step failed.
///
/// Each variant has a stable machine-readable [`code`](OidcError::code) for logs and error
/// pages, and a human-readable [`Display`](fmt::Display) sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OidcError {
    /// The discovery document is not JSON or lacks a required endpoint.
    BadDiscovery,
    /// The JWKS is not JSON or holds no usable RSA signing key.
    BadJwks,
    /// The token endpoint answered with an OAuth error (the `error` field, e.g. `invalid_grant`).
    TokenRefused(String),
    /// The token response or ID token is not well-formed.
    Malformed,
    /// The ID token is signed with something other than RS256 (including `none` and HS256).
    UnsupportedAlg,
    /// The ID token names a key that is not in the JWKS (the caller may refresh the JWKS once).
    UnknownKey,
    /// The ID token's signature does not verify.
    BadSignature,
    /// The ID token was issued by someone other than the expected provider.
    WrongIssuer,
    /// The ID token was issued for a different client.
    WrongAudience,
    /// The ID token has expired.
    Expired,
    /// The ID token's `iat` or `nbf` lies in the future.
    NotYetValid,
    /// The ID token's nonce does not belong to this login attempt.
    WrongNonce,
    /// The ID token carries no e-mail address.
    NoEmail,
}

impl OidcError {
    /// Stable snake_case code, prefixed `oidc_`, suitable for logs, metrics and error pages.
    pub fn code(&self) -> &'static str {
        match self {
            OidcError::BadDiscovery => "oidc_bad_discovery",
            OidcError::BadJwks => "oidc_bad_jwks",
            OidcError::TokenRefused(_) => "oidc_token_refused",
            OidcError::Malformed => "oidc_malformed",
            OidcError::UnsupportedAlg => "oidc_unsupported_alg",
            OidcError::UnknownKey => "oidc_unknown_key",
            OidcError::BadSignature => "oidc_bad_signature",
            OidcError::WrongIssuer => "oidc_wrong_issuer",
            OidcError::WrongAudience => "oidc_wrong_audience",
            OidcError::Expired => "oidc_expired",
            OidcError::NotYetValid => "oidc_not_yet_valid",
            OidcError::WrongNonce => "oidc_wrong_nonce",
            OidcError::NoEmail => "oidc_no_email",
        }
    }
}

impl fmt::Display for OidcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OidcError::BadDiscovery => f.write_str("The identity provider's discovery document is invalid."),
            OidcError::BadJwks => f.write_str("The identity provider's signing keys are invalid."),
            OidcError::TokenRefused(_) => f.write_str("The identity provider refused the login."),
            OidcError::Malformed => f.write_str("The identity provider's response is malformed."),
            OidcError::UnsupportedAlg => f.write_str("The ID token uses an unsupported signature algorithm."),
            OidcError::UnknownKey => f.write_str("The ID token is signed with an unknown key."),
            OidcError::BadSignature => f.write_str("The ID token's signature is invalid."),
            OidcError::WrongIssuer => f.write_str("The ID token comes from an unexpected issuer."),
            OidcError::WrongAudience => f.write_str("The ID token was issued for a different application."),
            OidcError::Expired => f.write_str("The ID token has expired."),
            OidcError::NotYetValid => f.write_str("The ID token is not valid yet."),
            OidcError::WrongNonce => f.write_str("The ID token does not belong to this login attempt."),
            OidcError::NoEmail => f.write_str("The identity provider did not share an e-mail address."),
        }
    }
}

impl std::error::Error for OidcError {}

/// The parts of a provider's `/.well-known/openid-configuration` that the login flow needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Discovery {
    /// The provider's issuer identifier, as it appears in the `iss` claim.
    pub issuer: String,
    /// Where the browser is sent to sign in.
    pub authorization_endpoint: String,
    /// Where the server exchanges the authorization code for tokens.
    pub token_endpoint: String,
    /// Where the provider publishes its signing keys.
    pub jwks_uri: String,
}

/// Reads a discovery document; all four fields must be present and non-empty.
pub fn parse_discovery(bytes: &[u8]) -> Result<Discovery, OidcError> {
    let d: Discovery = serde_json::from_slice(bytes).map_err(|_| OidcError::BadDiscovery)?;
    let fields = [&d.issuer, &d.authorization_endpoint, &d.token_endpoint, &d.jwks_uri];
    if fields.iter().any(|f| f.trim().is_empty()) {
        return Err(OidcError::BadDiscovery);
    }
    Ok(d)
}

/// A PKCE (RFC 7636) pair: the verifier stays on the server, the challenge goes to the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkce {
    /// Secret sent with the code exchange to prove this server started the login.
    pub verifier: String,
    /// S256 challenge derived from the verifier, sent in the authorization request.
    pub challenge: String,
}

/// A fresh PKCE pair with 256 bits of entropy, using the S256 method.
pub fn pkce() -> Pkce {
    let verifier = random_token();
    let challenge = challenge_of(&verifier);
    Pkce { verifier, challenge }
}

/// The S256 code challenge for `verifier`: base64url (unpadded) of its SHA-256.
pub fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// An unguessable URL-safe token (256 bits from the OS), for `state` and `nonce`.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The URL to send the browser to so the user signs in at the provider.
///
/// Any query already present on the authorization endpoint is kept.
pub fn authorize_url(
    d: &Discovery,
    client_id: &str,
    redirect_uri: &str,
    state: &str,
    nonce: &str,
    challenge: &str,
) -> String {
    let params = [
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("scope", SCOPE),
        ("state", state),
        ("nonce", nonce),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ];
    with_query(&d.authorization_endpoint, &params)
}

/// `endpoint` with `params` added to its query, each value percent-encoded (an OAuth 2.0
/// authorization request for another scope uses it too).
pub fn with_query(endpoint: &str, params: &[(&str, &str)]) -> String {
    let mut url = endpoint.to_string();
    if !url.contains('?') {
        url.push('?');
    } else if !url.ends_with('?') && !url.ends_with('&') {
        url.push('&');
    }
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            url.push('&');
        }
        url.push_str(name);
        url.push('=');
        percent_encode_into(&mut url, value);
    }
    url
}

/// Appends `value` percent-encoded so that only RFC 3986 unreserved characters stay literal.
fn percent_encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

/// The form fields to POST (as `application/x-www-form-urlencoded`) to the token endpoint to
/// exchange an authorization code, authenticating the client with `client_secret_post`.
pub fn token_form(
    code: &str,
    verifier: &str,
    redirect_uri: &str,
    client_id: &str,
    client_secret: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("grant_type", "authorization_code".to_owned()),
        ("code", code.to_owned()),
        ("redirect_uri", redirect_uri.to_owned()),
        ("client_id", client_id.to_owned()),
        ("client_secret", client_secret.to_owned()),
        ("code_verifier", verifier.to_owned()),
    ]
}

/// Takes the (still unverified) ID token out of a token endpoint response.
///
/// An OAuth `error` in the response becomes [`OidcError::TokenRefused`].
pub fn id_token_of(token_response: &[u8]) -> Result<String, OidcError> {
    #[derive(Deserialize)]
    struct TokenResponse {
        id_token: Option<String>,
        error: Option<String>,
    }
    let response: TokenResponse = serde_json::from_slice(token_response).map_err(|_| OidcError::Malformed)?;
    if let Some(error) = response.error {
        return Err(OidcError::TokenRefused(error));
    }
    match response.id_token {
        Some(token) if !token.is_empty() => Ok(token),
        _ => Err(OidcError::Malformed),
    }
}

/// The provider's RSA signing keys, as published at its `jwks_uri`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwks {
    keys: Vec<RsaKey>,
}

/// One RSA public key, with modulus and exponent as big-endian bytes without leading zeros
/// (the form ring expects).
#[derive(Debug, Clone, PartialEq, Eq)]
struct RsaKey {
    kid: String,
    n: Vec<u8>,
    e: Vec<u8>,
}

impl Jwks {
    /// Number of usable keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is no usable key (never true for a value from [`parse_jwks`]).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The key ids, e.g. for logging which keys are cached.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.kid.as_str())
    }

    /// The key a token header points at: by `kid`, or the only key when the header has none.
    fn find(&self, kid: Option<&str>) -> Option<&RsaKey> {
        match kid {
            Some(kid) => self.keys.iter().find(|k| k.kid == kid),
            None if self.keys.len() == 1 => self.keys.first(),
            None => None,
        }
    }
}

/// Reads a JWK Set, keeping the RSA keys meant for RS256 signatures.
///
/// Keys of other types or uses, or that are individually unreadable, are skipped so that a
/// provider adding new kinds of keys does not break sign-in; a set with no usable key at all is
/// [`OidcError::BadJwks`].
pub fn parse_jwks(bytes: &[u8]) -> Result<Jwks, OidcError> {
    #[derive(Deserialize)]
    struct RawSet {
        keys: Vec<serde_json::Value>,
    }
    #[derive(Deserialize)]
    struct RawKey {
        kty: String,
        kid: Option<String>,
        #[serde(rename = "use")]
        use_: Option<String>,
        alg: Option<String>,
        n: Option<String>,
        e: Option<String>,
    }

    let set: RawSet = serde_json::from_slice(bytes).map_err(|_| OidcError::BadJwks)?;
    let mut keys = Vec::new();
    for value in set.keys {
        let Ok(raw) = serde_json::from_value::<RawKey>(value) else { continue };
        if raw.kty != "RSA"
            || raw.use_.as_deref().is_some_and(|u| u != "sig")
            || raw.alg.as_deref().is_some_and(|a| a != "RS256")
        {
            continue;
        }
        let (Some(kid), Some(n), Some(e)) = (raw.kid, raw.n, raw.e) else { continue };
        let (Some(n), Some(e)) = (decode_key_integer(&n), decode_key_integer(&e)) else { continue };
        if kid.is_empty() || keys.iter().any(|k: &RsaKey| k.kid == kid) {
            continue;
        }
        keys.push(RsaKey { kid, n, e });
    }
    if keys.is_empty() {
        return Err(OidcError::BadJwks);
    }
    Ok(Jwks { keys })
}

/// Decodes a JWK big integer (base64url, padding tolerated) into big-endian bytes without
/// leading zeros; `None` if it is not base64url or is zero.
fn decode_key_integer(text: &str) -> Option<Vec<u8>> {
    let bytes = URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()?;
    let first_nonzero = bytes.iter().position(|&b| b != 0)?;
    Some(bytes.into_iter().skip(first_nonzero).collect())
}

/// Who signed in, as asserted by a verified ID token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// The provider's stable, unique identifier for the user.
    pub sub: String,
    /// The user's e-mail address.
    pub email: String,
    /// Whether the provider vouches that the user controls `email`.
    pub email_verified: bool,
    /// Display name, if shared.
    pub name: Option<String>,
    /// Profile picture URL, if shared.
    pub picture: Option<String>,
}

/// Checks an ID token end to end and returns its claims.
///
/// The token must be an RS256 JWS signed by a key in `jwks`, issued by one of `issuers`, meant
/// for `audience` (our client id), currently valid (with a minute of clock-skew leeway) and
/// carrying `nonce`. `now_secs` is the current Unix time.
///
/// Claims are returned even when `email_verified` is false, so that the caller can tell an
/// unverified address apart from a bad token and answer accordingly.
pub fn verify_id_token(
    token: &str,
    jwks: &Jwks,
    issuers: &[&str],
    audience: &str,
    nonce: &str,
    now_secs: i64,
) -> Result<Claims, OidcError> {
    #[derive(Deserialize)]
    struct Header {
        alg: String,
        kid: Option<String>,
        crit: Option<serde_json::Value>,
    }

    let (signing_input, signature_b64) = token.rsplit_once('.').ok_or(OidcError::Malformed)?;
    let (header_b64, payload_b64) = signing_input.split_once('.').ok_or(OidcError::Malformed)?;
    if payload_b64.contains('.') {
        return Err(OidcError::Malformed);
    }
    let header_bytes = decode_part(header_b64)?;
    let payload_bytes = decode_part(payload_b64)?;
    let signature = decode_part(signature_b64)?;

    let header: Header = serde_json::from_slice(&header_bytes).map_err(|_| OidcError::Malformed)?;
    if header.alg != "RS256" {
        return Err(OidcError::UnsupportedAlg);
    }
    // RFC 7515 requires rejecting tokens whose critical extensions we do not understand (all of them).
    if header.crit.is_some() {
        return Err(OidcError::Malformed);
    }
    let key = jwks.find(header.kid.as_deref()).ok_or(OidcError::UnknownKey)?;
    RsaPublicKeyComponents { n: &key.n, e: &key.e }
        .verify(&RSA_PKCS1_2048_8192_SHA256, signing_input.as_bytes(), &signature)
        .map_err(|_| OidcError::BadSignature)?;

    let payload: Payload = serde_json::from_slice(&payload_bytes).map_err(|_| OidcError::Malformed)?;
    check_payload(payload, issuers, audience, nonce, now_secs)
}

/// Decodes one dot-separated part of a compact JWS.
fn decode_part(part: &str) -> Result<Vec<u8>, OidcError> {
    URL_SAFE_NO_PAD.decode(part).map_err(|_| OidcError::Malformed)
}

/// The ID token claims this module looks at; everything is optional so that a missing claim
/// maps to the specific error rather than a generic parse failure.
#[derive(Deserialize)]
struct Payload {
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Audience>,
    azp: Option<String>,
    exp: Option<f64>,
    iat: Option<f64>,
    nbf: Option<f64>,
    nonce: Option<String>,
    email: Option<String>,
    email_verified: Option<Flag>,
    name: Option<String>,
    picture: Option<String>,
}

/// `aud` may be a single string or an array of strings.
#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

/// A boolean that some providers send as the string "true"/"false".
#[derive(Deserialize)]
#[serde(untagged)]
enum Flag {
    Bool(bool),
    Text(String),
}

impl Flag {
    /// Only an explicit true counts; anything unexpected fails closed.
    fn is_true(&self) -> bool {
        match self {
            Flag::Bool(b) => *b,
            Flag::Text(s) => s == "true",
        }
    }
}

/// Applies the OpenID Connect ID token validation rules to an already signature-checked payload.
fn check_payload(p: Payload, issuers: &[&str], audience: &str, nonce: &str, now: i64) -> Result<Claims, OidcError> {
    let iss = p.iss.ok_or(OidcError::WrongIssuer)?;
    if !issuers.iter().any(|i| *i == iss) {
        return Err(OidcError::WrongIssuer);
    }

    match p.aud.ok_or(OidcError::WrongAudience)? {
        Audience::One(aud) if aud == audience => {}
        Audience::Many(auds) if auds.iter().any(|a| a == audience) => {
            if auds.len() > 1 && p.azp.as_deref() != Some(audience) {
                return Err(OidcError::WrongAudience);
            }
        }
        _ => return Err(OidcError::WrongAudience),
    }

    let exp = p.exp.ok_or(OidcError::Malformed)?;
    // Exact in f64 for any realistic clock; the casts cannot panic.
    let earliest = now.saturating_sub(LEEWAY_SECS) as f64;
    let latest = now.saturating_add(LEEWAY_SECS) as f64;
    if exp <= earliest {
        return Err(OidcError::Expired);
    }
    if p.iat.is_some_and(|iat| iat > latest) || p.nbf.is_some_and(|nbf| nbf > latest) {
        return Err(OidcError::NotYetValid);
    }

    match p.nonce {
        Some(n) if constant_time_eq(n.as_bytes(), nonce.as_bytes()) => {}
        _ => return Err(OidcError::WrongNonce),
    }

    let sub = p.sub.ok_or(OidcError::Malformed)?;
    if sub.is_empty() || sub.len() > MAX_SUB_LEN {
        return Err(OidcError::Malformed);
    }
    let email = p.email.filter(|e| !e.is_empty()).ok_or(OidcError::NoEmail)?;

    Ok(Claims {
        sub,
        email,
        email_verified: p.email_verified.is_some_and(|f| f.is_true()),
        name: p.name,
        picture: p.picture,
    })
}

/// Compares secrets without revealing, through timing, where they first differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// For tests only: signs `claims` as an RS256 ID token with header `kid`, the way a loopback
/// identity provider in integration tests would.
///
/// # Panics
/// If ring fails to sign (only if the system random generator fails); never call this with
/// untrusted input in production code.
pub fn sign_rs256_for_tests(key: &RsaKeyPair, kid: &str, claims: &serde_json::Value) -> String {
    let header = serde_json::json!({ "alg": "RS256", "typ": "JWT", "kid": kid });
    let signing_input =
        format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let mut signature = vec![0u8; key.public().modulus_len()];
    key.sign(&RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), signing_input.as_bytes(), &mut signature)
        .expect("RS256 signing with a valid key pair");
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// For tests only: the public JWK (`kty`, `kid`, `use`, `alg`, `n`, `e`) of `key`, for a loopback
/// identity provider's JWKS document.
pub fn jwk_of_for_tests(key: &RsaKeyPair, kid: &str) -> serde_json::Value {
    let public = RsaPublicKeyComponents::<Vec<u8>>::from(key.public());
    serde_json::json!({
        "kty": "RSA",
        "kid": kid,
        "use": "sig",
        "alg": "RS256",
        "n": URL_SAFE_NO_PAD.encode(&public.n),
        "e": URL_SAFE_NO_PAD.encode(&public.e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use std::process::Command;
    use std::sync::OnceLock;

    const ISSUERS: &[&str] = &["https://accounts.google.com", "accounts.google.com"];
    const CLIENT: &str = "client-123.apps.googleusercontent.com";
    const NONCE: &str = "n-0S6_WzA2Mj";
    const NOW: i64 = 1_700_000_000;

    /// One RSA key per test run, generated by openssl (ring cannot generate RSA keys).
    fn key() -> &'static RsaKeyPair {
        static KEY: OnceLock<RsaKeyPair> = OnceLock::new();
        KEY.get_or_init(|| {
            let out = Command::new("openssl")
                .args(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-outform", "DER"])
                .output()
                .expect("run openssl");
            assert!(out.status.success(), "openssl failed: {}", String::from_utf8_lossy(&out.stderr));
            // OpenSSL 3.0 writes DER RSA keys as PKCS#1 rather than PKCS#8; accept either.
            RsaKeyPair::from_pkcs8(&out.stdout)
                .or_else(|_| RsaKeyPair::from_der(&out.stdout))
                .expect("openssl emits a PKCS#8 or PKCS#1 RSA key")
        })
    }

    fn jwks() -> Jwks {
        let doc = json!({ "keys": [
            { "kty": "EC", "kid": "ec1", "crv": "P-256", "x": "AA", "y": "AA" },
            jwk_of_for_tests(key(), "k1"),
        ]});
        parse_jwks(doc.to_string().as_bytes()).unwrap()
    }

    fn claims() -> Value {
        json!({
            "iss": "https://accounts.google.com",
            "aud": CLIENT,
            "azp": CLIENT,
            "sub": "110169484474386276334",
            "email": "ada@example.com",
            "email_verified": true,
            "name": "Ada Lovelace",
            "picture": "https://example.com/ada.png",
            "nonce": NONCE,
            "iat": NOW - 10,
            "exp": NOW + 3600,
        })
    }

    fn with(changes: Value) -> Value {
        let mut c = claims();
        for (k, v) in changes.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        c
    }

    fn verify(token: &str) -> Result<Claims, OidcError> {
        verify_id_token(token, &jwks(), ISSUERS, CLIENT, NONCE, NOW)
    }

    fn verify_claims(c: &Value) -> Result<Claims, OidcError> {
        verify(&sign_rs256_for_tests(key(), "k1", c))
    }

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn good_token_yields_claims() {
        let c = verify_claims(&claims()).unwrap();
        assert_eq!(
            c,
            Claims {
                sub: "110169484474386276334".into(),
                email: "ada@example.com".into(),
                email_verified: true,
                name: Some("Ada Lovelace".into()),
                picture: Some("https://example.com/ada.png".into()),
            }
        );
        let c = verify_claims(&with(json!({ "iss": "accounts.google.com", "email_verified": null }))).unwrap();
        assert!(!c.email_verified);
    }

    #[test]
    fn audience_rules() {
        assert_eq!(verify_claims(&with(json!({ "aud": "someone-else" }))), Err(OidcError::WrongAudience));
        assert_eq!(verify_claims(&with(json!({ "aud": null }))), Err(OidcError::WrongAudience));
        assert_eq!(verify_claims(&with(json!({ "aud": [] }))), Err(OidcError::WrongAudience));
        let many = json!([CLIENT, "other"]);
        assert_eq!(verify_claims(&with(json!({ "aud": many, "azp": null }))), Err(OidcError::WrongAudience));
        assert_eq!(verify_claims(&with(json!({ "aud": many, "azp": "other" }))), Err(OidcError::WrongAudience));
        assert!(verify_claims(&with(json!({ "aud": many }))).is_ok());
        assert!(verify_claims(&with(json!({ "aud": [CLIENT], "azp": null }))).is_ok());
    }

    #[test]
    fn time_rules() {
        assert_eq!(verify_claims(&with(json!({ "exp": NOW - 61 }))), Err(OidcError::Expired));
        assert!(verify_claims(&with(json!({ "exp": NOW - 59 }))).is_ok());
        assert_eq!(verify_claims(&with(json!({ "exp": null }))), Err(OidcError::Malformed));
        assert_eq!(verify_claims(&with(json!({ "iat": NOW + 120 }))), Err(OidcError::NotYetValid));
        assert!(verify_claims(&with(json!({ "iat": NOW + 30 }))).is_ok());
        assert_eq!(verify_claims(&with(json!({ "nbf": NOW + 120 }))), Err(OidcError::NotYetValid));
    }

    #[test]
    fn nonce_and_issuer_rules() {
        assert_eq!(verify_claims(&with(json!({ "nonce": "other" }))), Err(OidcError::WrongNonce));
        assert_eq!(verify_claims(&with(json!({ "nonce": null }))), Err(OidcError::WrongNonce));
        assert_eq!(verify_claims(&with(json!({ "iss": "https://evil.example" }))), Err(OidcError::WrongIssuer));
        assert_eq!(verify_claims(&with(json!({ "iss": null }))), Err(OidcError::WrongIssuer));
    }

    #[test]
    fn subject_and_email_rules() {
        assert_eq!(verify_claims(&with(json!({ "sub": "" }))), Err(OidcError::Malformed));
        assert_eq!(verify_claims(&with(json!({ "sub": "x".repeat(256) }))), Err(OidcError::Malformed));
        assert_eq!(verify_claims(&with(json!({ "email": null }))), Err(OidcError::NoEmail));
        let c = verify_claims(&with(json!({ "email_verified": "true" }))).unwrap();
        assert!(c.email_verified);
        let c = verify_claims(&with(json!({ "email_verified": "false" }))).unwrap();
        assert!(!c.email_verified);
    }

    #[test]
    fn key_selection() {
        let token = sign_rs256_for_tests(key(), "k2", &claims());
        assert_eq!(verify(&token), Err(OidcError::UnknownKey));

        // No kid in the header: accepted with a single-key JWKS.
        let header = b64(r#"{"alg":"RS256"}"#);
        let payload = b64(&claims().to_string());
        let input = format!("{header}.{payload}");
        let mut sig = vec![0u8; key().public().modulus_len()];
        key().sign(&RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), input.as_bytes(), &mut sig).unwrap();
        let token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig));
        assert!(verify(&token).is_ok());
    }

    #[test]
    fn other_algorithms_rejected() {
        let payload = b64(&claims().to_string());
        let none = format!("{}.{payload}.", b64(r#"{"alg":"none"}"#));
        assert_eq!(verify(&none), Err(OidcError::UnsupportedAlg));
        let hs = format!("{}.{payload}.{}", b64(r#"{"alg":"HS256","kid":"k1"}"#), b64("mac"));
        assert_eq!(verify(&hs), Err(OidcError::UnsupportedAlg));
    }

    #[test]
    fn tampered_payload_fails_signature() {
        let token = sign_rs256_for_tests(key(), "k1", &claims());
        let parts: Vec<&str> = token.split('.').collect();
        let forged = b64(&with(json!({ "email": "mallory@example.com" })).to_string());
        let tampered = format!("{}.{forged}.{}", parts[0], parts[2]);
        assert_eq!(verify(&tampered), Err(OidcError::BadSignature));
        let other_sig = sign_rs256_for_tests(key(), "k1", &with(json!({ "sub": "2" })));
        let spliced = format!("{}.{}.{}", parts[0], parts[1], other_sig.rsplit('.').next().unwrap());
        assert_eq!(verify(&spliced), Err(OidcError::BadSignature));
    }

    #[test]
    fn malformed_tokens_never_panic() {
        let good = sign_rs256_for_tests(key(), "k1", &claims());
        let header_not_json = format!("{}.{}.{}", b64("hello"), b64("{}"), b64("sig"));
        let cases = [
            String::new(),
            ".".into(),
            "..".into(),
            "abc".into(),
            "a.b".into(),
            "a.b.c.d".into(),
            format!("{good}.x"),
            "!!!.e30.e30".into(),
            "e30.%%%.e30".into(),
            "e30.e30.@@".into(),
            header_not_json,
            format!("{}.{}.{}", b64(r#"{"alg":5}"#), b64("{}"), b64("s")),
            format!("{}.{}.{}", b64(r#"{"alg":"RS256","kid":"k1","crit":["x"]}"#), b64("{}"), b64("s")),
        ];
        for token in &cases {
            assert_eq!(verify(token), Err(OidcError::Malformed), "token {token:?}");
        }
        // Non-JSON payload that is validly signed.
        let input = format!("{}.{}", b64(r#"{"alg":"RS256","kid":"k1"}"#), b64("not json"));
        let mut sig = vec![0u8; key().public().modulus_len()];
        key().sign(&RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), input.as_bytes(), &mut sig).unwrap();
        assert_eq!(verify(&format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))), Err(OidcError::Malformed));
        // A short signature is a bad signature, not a crash.
        let short = format!("{}.{}", good.rsplit_once('.').unwrap().0, b64("x"));
        assert_eq!(verify(&short), Err(OidcError::BadSignature));
    }

    #[test]
    fn jwks_parsing() {
        let mut k1 = jwk_of_for_tests(key(), "k1");
        // A leading zero byte in n (seen in some providers' JWKS) is tolerated.
        let n = URL_SAFE_NO_PAD.decode(k1["n"].as_str().unwrap()).unwrap();
        k1["n"] = json!(URL_SAFE_NO_PAD.encode([&[0u8][..], &n].concat()));
        let doc = json!({ "keys": [
            k1,
            { "kty": "RSA", "kid": "enc", "use": "enc", "n": "AQAB", "e": "AQAB" },
            { "kty": "RSA", "kid": "ps", "alg": "PS256", "n": "AQAB", "e": "AQAB" },
            { "kty": "RSA", "n": "AQAB", "e": "AQAB" },
            { "kty": "RSA", "kid": "bad", "n": "!!", "e": "AQAB" },
            { "kty": 7 },
            "junk",
        ]});
        let jwks = parse_jwks(doc.to_string().as_bytes()).unwrap();
        assert_eq!(jwks.kids().collect::<Vec<_>>(), ["k1"]);
        let token = sign_rs256_for_tests(key(), "k1", &claims());
        assert!(verify_id_token(&token, &jwks, ISSUERS, CLIENT, NONCE, NOW).is_ok());

        assert_eq!(parse_jwks(b"{\"keys\":[]}"), Err(OidcError::BadJwks));
        assert_eq!(parse_jwks(b"not json"), Err(OidcError::BadJwks));
        assert_eq!(parse_jwks(b"{}"), Err(OidcError::BadJwks));
    }

    #[test]
    fn discovery_parsing() {
        let doc = br#"{"issuer":"https://accounts.google.com",
            "authorization_endpoint":"https://accounts.google.com/o/oauth2/v2/auth",
            "token_endpoint":"https://oauth2.googleapis.com/token",
            "jwks_uri":"https://www.googleapis.com/oauth2/v3/certs",
            "response_types_supported":["code"]}"#;
        let d = parse_discovery(doc).unwrap();
        assert_eq!(d.token_endpoint, "https://oauth2.googleapis.com/token");
        assert_eq!(parse_discovery(br#"{"issuer":"x"}"#), Err(OidcError::BadDiscovery));
        let empty = br#"{"issuer":"x","authorization_endpoint":"","token_endpoint":"t","jwks_uri":"j"}"#;
        assert_eq!(parse_discovery(empty), Err(OidcError::BadDiscovery));
        assert_eq!(parse_discovery(b"\xff"), Err(OidcError::BadDiscovery));
    }

    #[test]
    fn token_response() {
        assert_eq!(id_token_of(br#"{"access_token":"a","id_token":"x.y.z"}"#), Ok("x.y.z".into()));
        assert_eq!(
            id_token_of(br#"{"error":"invalid_grant","error_description":"Bad Request"}"#),
            Err(OidcError::TokenRefused("invalid_grant".into()))
        );
        assert_eq!(id_token_of(br#"{"access_token":"a"}"#), Err(OidcError::Malformed));
        assert_eq!(id_token_of(b"<html>"), Err(OidcError::Malformed));
        let form = token_form("c", "v", "https://app/cb", "id", "secret");
        assert_eq!(form[0], ("grant_type", "authorization_code".to_owned()));
        assert!(form.contains(&("code_verifier", "v".to_owned())));
        assert!(form.contains(&("client_secret", "secret".to_owned())));
    }

    #[test]
    fn pkce_matches_rfc7636_appendix_b() {
        assert_eq!(
            challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let p = pkce();
        assert_eq!(p.verifier.len(), 43);
        assert_eq!(p.challenge, challenge_of(&p.verifier));
        assert_ne!(random_token(), random_token());
    }

    #[test]
    fn authorize_url_encodes_and_keeps_query() {
        let mut d = Discovery {
            issuer: "https://accounts.google.com".into(),
            authorization_endpoint: "https://accounts.google.com/o/oauth2/v2/auth".into(),
            token_endpoint: String::new(),
            jwks_uri: String::new(),
        };
        let url = authorize_url(&d, "id", "https://app.example/cb?x=1&y=2", "st ate", "n+1", "ch");
        assert_eq!(
            url,
            "https://accounts.google.com/o/oauth2/v2/auth?response_type=code&client_id=id\
             &redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D2&scope=openid%20email%20profile\
             &state=st%20ate&nonce=n%2B1&code_challenge=ch&code_challenge_method=S256"
        );
        d.authorization_endpoint = "https://idp.example/auth?hd=example.com".into();
        let url = authorize_url(&d, "id", "r", "s", "n", "c");
        assert!(url.starts_with("https://idp.example/auth?hd=example.com&response_type=code&"), "{url}");
        assert!(authorize_url(&d, "é", "r", "s", "n", "c").contains("client_id=%C3%A9&"));
    }

    #[test]
    fn error_codes_are_prefixed() {
        assert_eq!(OidcError::WrongAudience.code(), "oidc_wrong_audience");
        assert_eq!(OidcError::Expired.code(), "oidc_expired");
        assert_eq!(OidcError::BadSignature.code(), "oidc_bad_signature");
        assert_eq!(
            OidcError::TokenRefused("invalid_grant".into()).to_string(),
            "The identity provider refused the login."
        );
    }
}
