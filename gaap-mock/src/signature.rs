//! TC3-HMAC-SHA256 verification of a request exactly as it was received.
//!
//! Everything that enters the signature is taken from the wire, never rebuilt: the headers
//! named in `SignedHeaders` with their received values (so `application/json; charset=utf-8`
//! verifies as sent), the raw query string of a GET, the raw body bytes of a POST (or the
//! literal `UNSIGNED-PAYLOAD` when `X-TC-Content-SHA256` says so), and the service and date
//! of the `Credential=` scope. A replayed identical request verifies again: the Go SDK retries
//! that way.

use std::fmt;
use std::sync::{Mutex, PoisonError};

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use gaap_wire::date::utc_date;

/// The algorithm name that starts a TC3 `Authorization` header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// Largest accepted difference between the server clock and `X-TC-Timestamp`, in seconds.
pub const MAX_SKEW_SECS: i64 = 300;
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The parts of a received request that a TC3 signature covers.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// HTTP method as received (`POST`, `GET`).
    pub method: &'a str,
    /// Every received header as (name, value); names compare case-insensitively.
    pub headers: &'a [(String, String)],
    /// The raw text after `?`, exactly as sent (empty when there is none).
    pub raw_query: &'a str,
    /// The raw body bytes.
    pub body: &'a [u8],
}

impl<'a> SignedRequest<'a> {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request's signature was refused, with the service's error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The `Authorization` header is missing or malformed.
    #[error("{0}")]
    InvalidAuthorization(String),
    /// A required common parameter (e.g. `X-TC-Timestamp`) is missing.
    #[error("The request is missing a required parameter `{0}`.")]
    MissingParameter(&'static str),
    /// `X-TC-Timestamp` is not a decimal Unix time.
    #[error("Parameter `X-TC-Timestamp` type error.")]
    BadTimestamp,
    /// The v1 `Nonce` is not a positive integer.
    #[error("Parameter `Nonce` must be a positive integer.")]
    BadNonce,
    /// The v1 `Nonce` was already used, with the same timestamp, within the signature window.
    #[error(
        "The provided credentials could not be validated: this Nonce was already used; a replayed request is refused."
    )]
    NonceReplayed,
    /// The timestamp is more than five minutes away from the server clock.
    #[error("The signature is expired, please request again.")]
    Expired,
    /// The SecretId is not configured on this server.
    #[error("The SecretId is not found, please ensure that your SecretId is correct.")]
    SecretIdNotFound,
    /// `SignedHeaders` leaves out a header the gateway requires to be signed (`content-type`
    /// and `host`: without them a signature verifies for another host, or a JSON body
    /// replayed as a form).
    #[error("The provided credentials could not be validated: SignedHeaders must include `{0}`.")]
    UnsignedHeader(&'static str),
    /// The signature does not match (wrong key, altered request, wrong scope date...).
    #[error(
        "The provided credentials could not be validated. Please check your signature is correct."
    )]
    SignatureFailure,
}

impl AuthError {
    /// The Tencent Cloud error code for this failure.
    pub fn code(&self) -> &'static str {
        match self {
            AuthError::InvalidAuthorization(_) => "AuthFailure.InvalidAuthorization",
            AuthError::MissingParameter(_) => "MissingParameter",
            AuthError::BadTimestamp | AuthError::BadNonce => "InvalidParameter",
            AuthError::Expired => "AuthFailure.SignatureExpire",
            AuthError::SecretIdNotFound => "AuthFailure.SecretIdNotFound",
            AuthError::UnsignedHeader(_)
            | AuthError::NonceReplayed
            | AuthError::SignatureFailure => "AuthFailure.SignatureFailure",
        }
    }
}

/// A parsed `TC3-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// The SecretId of the scope.
    pub secret_id: &'a str,
    /// The scope date, `YYYY-MM-DD`.
    pub date: &'a str,
    /// The scope service (e.g. `gaap`), used as sent.
    pub service: &'a str,
    /// Lowercase header names, in the order given.
    pub signed_headers: Vec<&'a str>,
    /// The `SignedHeaders` value as sent.
    pub signed_headers_raw: &'a str,
    /// Hex signature as sent.
    pub signature: &'a str,
}

/// Parse a TC3 `Authorization` header value.
pub fn parse_authorization(value: &str) -> Result<Authorization<'_>, AuthError> {
    let bad = |what: &str| AuthError::InvalidAuthorization(format!("Authorization header {what}."));
    let rest = value
        .trim()
        .strip_prefix(ALGORITHM)
        .ok_or_else(|| bad("must start with TC3-HMAC-SHA256"))?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let credential = credential.ok_or_else(|| bad("has no Credential"))?;
    let signed_headers_raw = signed.ok_or_else(|| bad("has no SignedHeaders"))?;
    let signature = signature.ok_or_else(|| bad("has no Signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [secret_id, date, service, terminator] = scope.as_slice() else {
        return Err(bad("has a malformed Credential scope"));
    };
    if *terminator != "tc3_request" || secret_id.is_empty() || service.is_empty() {
        return Err(bad("has a malformed Credential scope"));
    }
    let signed_headers: Vec<&str> = signed_headers_raw.split(';').collect();
    if signed_headers.iter().any(|h| h.is_empty()) {
        return Err(bad("has an empty SignedHeaders entry"));
    }
    Ok(Authorization {
        secret_id,
        date,
        service,
        signed_headers,
        signed_headers_raw,
        signature,
    })
}

/// Headers every TC3 signature must cover, as the real gateway requires.
pub const REQUIRED_SIGNED_HEADERS: &[&str] = &["content-type", "host"];

/// What a verified request proved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The SecretId that signed the request.
    pub secret_id: String,
}

/// Verify a TC3 request at time `now` (Unix seconds), looking secret keys up with `key_for`.
///
/// Derives the signing key afresh; a server verifying many requests uses [`verify_with`]
/// and one [`SigningKeys`] cache instead.
pub fn verify<'k>(
    req: &SignedRequest<'_>,
    now: i64,
    key_for: impl Fn(&str) -> Option<&'k str>,
) -> Result<Verified, AuthError> {
    verify_with(req, now, key_for, &SigningKeys::default())
}

/// Everything a TC3 request's headers alone can prove, checked before its body is read:
/// the `Authorization` header is well formed and signs `content-type` and `host`, the
/// timestamp is within [`MAX_SKEW_SECS`] of `now` and matches the scope date, and the
/// SecretId is known. Returns the parsed header, the timestamp text and the secret key.
pub fn check_head<'r, 'k>(
    req: &SignedRequest<'r>,
    now: i64,
    key_for: impl Fn(&str) -> Option<&'k str>,
) -> Result<(Authorization<'r>, &'r str, &'k str), AuthError> {
    let header = req
        .header("Authorization")
        .ok_or(AuthError::MissingParameter("Authorization"))?;
    let auth = parse_authorization(header)?;
    for required in REQUIRED_SIGNED_HEADERS {
        if !auth
            .signed_headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case(required))
        {
            return Err(AuthError::UnsignedHeader(required));
        }
    }
    let timestamp_text = req
        .header("X-TC-Timestamp")
        .ok_or(AuthError::MissingParameter("X-TC-Timestamp"))?;
    let timestamp: i64 = timestamp_text
        .trim()
        .parse()
        .map_err(|_| AuthError::BadTimestamp)?;
    if now.saturating_sub(timestamp).saturating_abs() > MAX_SKEW_SECS {
        return Err(AuthError::Expired);
    }
    let secret_key = key_for(auth.secret_id).ok_or(AuthError::SecretIdNotFound)?;
    if utc_date(timestamp) != auth.date {
        return Err(AuthError::SignatureFailure);
    }
    Ok((auth, timestamp_text, secret_key))
}

/// [`verify`], taking derived signing keys from (and adding them to) `keys`.
pub fn verify_with<'k>(
    req: &SignedRequest<'_>,
    now: i64,
    key_for: impl Fn(&str) -> Option<&'k str>,
    keys: &SigningKeys,
) -> Result<Verified, AuthError> {
    let (auth, timestamp_text, secret_key) = check_head(req, now, key_for)?;
    let signing_key = keys
        .get(secret_key, auth.date, auth.service)
        .ok_or(AuthError::SignatureFailure)?;
    let matches = |host: HostForm| -> Result<bool, AuthError> {
        let mut hasher = Sha256::new();
        write_canonical_request(req, &auth, host, &mut |piece| hasher.update(piece))?;
        let expected = signature_hex(
            &signing_key,
            auth.date,
            auth.service,
            timestamp_text.trim(),
            &hasher.finalize().into(),
        )
        .ok_or(AuthError::SignatureFailure)?;
        Ok(constant_time_eq(&expected, auth.signature.as_bytes()))
    };
    // The official Node.js SDK sends `Host: 127.0.0.1:18080` but signs `host:127.0.0.1`
    // (URL.hostname); on the real service's default port the two agree. Accept that form
    // too, so the unmodified Node SDK can talk to an emulator on a port.
    let host_has_port = req.header("Host").is_some_and(|h| strip_port(h) != h);
    if matches(HostForm::AsSent)? || (host_has_port && matches(HostForm::WithoutPort)?) {
        Ok(Verified {
            secret_id: auth.secret_id.to_owned(),
        })
    } else {
        Err(AuthError::SignatureFailure)
    }
}

/// Most derived keys a [`SigningKeys`] holds before it starts over (one per credential and
/// day is the usual need).
const MAX_CACHED_KEYS: usize = 64;

/// Derived TC3 signing keys, `HMAC(HMAC(HMAC("TC3" + SecretKey, date), service),
/// "tc3_request")`, remembered per (secret key, date, service): a verified request then
/// costs one HMAC instead of four. Its `Debug` output shows no key material.
#[derive(Default)]
pub struct SigningKeys {
    entries: Mutex<Vec<CachedKey>>,
}

struct CachedKey {
    secret_key: String,
    date: String,
    service: String,
    key: [u8; 32],
}

impl SigningKeys {
    /// The signing key of `secret_key` for the scope `date`/`service`.
    pub fn get(&self, secret_key: &str, date: &str, service: &str) -> Option<[u8; 32]> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(hit) = entries
            .iter()
            .find(|e| e.date == date && e.service == service && e.secret_key == secret_key)
        {
            return Some(hit.key);
        }
        let key = derive_signing_key(secret_key, date, service)?;
        if entries.len() >= MAX_CACHED_KEYS {
            entries.clear();
        }
        entries.push(CachedKey {
            secret_key: secret_key.to_owned(),
            date: date.to_owned(),
            service: service.to_owned(),
            key,
        });
        Some(key)
    }
}

impl fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        f.debug_struct("SigningKeys")
            .field("cached", &cached)
            .finish_non_exhaustive()
    }
}

/// Which form of the `Host` header a signature may have covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HostForm {
    /// Exactly as received (every SDK but Node.js).
    AsSent,
    /// Without its `:port` suffix (the Node.js SDK).
    WithoutPort,
}

/// `host[:port]` without the port; bracketed IPv6 literals keep their brackets.
fn strip_port(host: &str) -> &str {
    let host = host.trim();
    match host.rfind(':') {
        Some(i)
            if host[i + 1..].bytes().all(|b| b.is_ascii_digit()) && !host[..i].ends_with(':') =>
        {
            &host[..i]
        }
        _ => host,
    }
}

/// The canonical request of `req` under `auth`'s `SignedHeaders`.
pub fn canonical_request(
    req: &SignedRequest<'_>,
    auth: &Authorization<'_>,
) -> Result<String, AuthError> {
    let mut canonical = String::new();
    write_canonical_request(req, auth, HostForm::AsSent, &mut |piece| {
        canonical.push_str(piece);
    })?;
    Ok(canonical)
}

/// Emit the canonical request piece by piece (the verifier hashes it without building it).
fn write_canonical_request(
    req: &SignedRequest<'_>,
    auth: &Authorization<'_>,
    host_form: HostForm,
    emit: &mut impl FnMut(&str),
) -> Result<(), AuthError> {
    let mut lines: Vec<(String, String)> = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        // A signed header that was not sent cannot have been signed as received.
        let mut value = req.header(name).ok_or(AuthError::SignatureFailure)?;
        if host_form == HostForm::WithoutPort && name.eq_ignore_ascii_case("host") {
            value = strip_port(value);
        }
        lines.push((name.to_ascii_lowercase(), value.trim().to_ascii_lowercase()));
    }
    lines.sort();
    let payload_hash = match req.header("X-TC-Content-SHA256") {
        Some(v) if v.trim() == UNSIGNED_PAYLOAD => Sha256::digest(UNSIGNED_PAYLOAD.as_bytes()),
        _ => Sha256::digest(req.body),
    };
    let mut payload_hex = [0u8; 64];
    let query = if req.method.eq_ignore_ascii_case("GET") {
        req.raw_query
    } else {
        ""
    };
    emit(&req.method.to_ascii_uppercase());
    emit("\n/\n");
    emit(query);
    emit("\n");
    for (name, value) in &lines {
        emit(name);
        emit(":");
        emit(value);
        emit("\n");
    }
    emit("\n");
    emit(&auth.signed_headers_raw.to_ascii_lowercase());
    emit("\n");
    emit(hex_str(&payload_hash.into(), &mut payload_hex));
    Ok(())
}

/// The hex signature of `canonical_request` with the TC3 key chain.
pub fn sign(
    secret_key: &str,
    date: &str,
    service: &str,
    timestamp: &str,
    canonical_request: &str,
) -> String {
    let hash: [u8; 32] = Sha256::digest(canonical_request.as_bytes()).into();
    derive_signing_key(secret_key, date, service)
        .and_then(|key| signature_hex(&key, date, service, timestamp, &hash))
        .map(|hex| String::from_utf8_lossy(&hex).into_owned())
        .unwrap_or_default()
}

/// `HMAC(HMAC(HMAC("TC3" + secret_key, date), service), "tc3_request")`.
fn derive_signing_key(secret_key: &str, date: &str, service: &str) -> Option<[u8; 32]> {
    let mut prefixed = Vec::with_capacity(3 + secret_key.len());
    prefixed.extend_from_slice(b"TC3");
    prefixed.extend_from_slice(secret_key.as_bytes());
    let k_date = hmac(&prefixed, &[date.as_bytes()])?;
    let k_service = hmac(&k_date, &[service.as_bytes()])?;
    hmac(&k_service, &[b"tc3_request"])
}

/// Lowercase hex of the HMAC, under `signing_key`, of the TC3 string to sign.
fn signature_hex(
    signing_key: &[u8; 32],
    date: &str,
    service: &str,
    timestamp: &str,
    canonical_hash: &[u8; 32],
) -> Option<[u8; 64]> {
    let mut canonical_hex = [0u8; 64];
    let canonical_hex = hex_str(canonical_hash, &mut canonical_hex);
    let signature = hmac(
        signing_key,
        &[
            ALGORITHM.as_bytes(),
            b"\n",
            timestamp.as_bytes(),
            b"\n",
            date.as_bytes(),
            b"/",
            service.as_bytes(),
            b"/tc3_request\n",
            canonical_hex.as_bytes(),
        ],
    )?;
    let mut out = [0u8; 64];
    hex_str(&signature, &mut out);
    Some(out)
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `bytes` as lowercase hex in `buf`.
fn hex_str<'b>(bytes: &[u8; 32], buf: &'b mut [u8; 64]) -> &'b str {
    // 32 bytes always fit 64 hex digits, and hex digits are ASCII.
    let _ = hex::encode_to_slice(bytes, buf);
    std::str::from_utf8(buf).unwrap_or_default()
}

/// HMAC-SHA256 of the concatenated `pieces`.
fn hmac(key: &[u8], pieces: &[&[u8]]) -> Option<[u8; 32]> {
    // HMAC takes keys of any length (longer ones are hashed first): this never fails.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    for piece in pieces {
        mac.update(piece);
    }
    Some(mac.finalize().into_bytes().into())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request<'a>(headers: &'a [(String, String)], body: &'a [u8]) -> SignedRequest<'a> {
        SignedRequest {
            method: "POST",
            headers,
            raw_query: "",
            body,
        }
    }

    fn signed_headers(key: &str, ts: i64, body: &[u8]) -> Vec<(String, String)> {
        signed_headers_with_host(key, ts, body, "127.0.0.1:1")
    }

    fn signed_headers_with_host(
        key: &str,
        ts: i64,
        body: &[u8],
        host: &str,
    ) -> Vec<(String, String)> {
        let mut headers = vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            ("Host".to_owned(), host.to_owned()),
            ("X-TC-Timestamp".to_owned(), ts.to_string()),
        ];
        let auth = Authorization {
            secret_id: "AKID",
            date: &utc_date(ts),
            service: "gaap",
            signed_headers: vec!["content-type", "host"],
            signed_headers_raw: "content-type;host",
            signature: "",
        };
        let canonical = canonical_request(&request(&headers, body), &auth).unwrap();
        let sig = sign(key, &utc_date(ts), "gaap", &ts.to_string(), &canonical);
        headers.push((
            "Authorization".to_owned(),
            format!(
                "TC3-HMAC-SHA256 Credential=AKID/{}/gaap/tc3_request, SignedHeaders=content-type;host, Signature={sig}",
                utc_date(ts)
            ),
        ));
        headers
    }

    #[test]
    fn cached_signing_keys_verify_like_fresh_ones() {
        let keys = SigningKeys::default();
        let creds = |id: &str| (id == "AKID").then_some("key");
        let headers = signed_headers("key", 1_700_000_000, b"{}");
        for _ in 0..2 {
            assert!(verify_with(&request(&headers, b"{}"), 1_700_000_000, creds, &keys).is_ok());
        }
        let other = signed_headers("other-key", 1_700_000_000, b"{}");
        assert_eq!(
            verify_with(&request(&other, b"{}"), 1_700_000_000, creds, &keys),
            Err(AuthError::SignatureFailure)
        );
        let next_day = signed_headers("key", 1_700_086_400, b"{}");
        assert!(verify_with(&request(&next_day, b"{}"), 1_700_086_400, creds, &keys).is_ok());
        assert_eq!(
            keys.get("key", "2023-11-14", "gaap"),
            derive_signing_key("key", "2023-11-14", "gaap")
        );
        assert_ne!(
            keys.get("key", "2023-11-14", "gaap"),
            keys.get("key", "2023-11-14", "cvm")
        );
        assert!(!format!("{keys:?}").contains("key\""));
    }

    #[test]
    fn host_port_forms() {
        assert_eq!(strip_port("127.0.0.1:18080"), "127.0.0.1");
        assert_eq!(
            strip_port("gaap.tencentcloudapi.com"),
            "gaap.tencentcloudapi.com"
        );
        assert_eq!(strip_port("[::1]:8080"), "[::1]");
        assert_eq!(strip_port("[::1]"), "[::1]");
    }

    #[test]
    fn accepts_the_node_sdk_signing_the_host_without_its_port() {
        // Signed over `host:127.0.0.1`, sent with `Host: 127.0.0.1:1` (the Node.js SDK).
        let keys = |_: &str| Some("key");
        let mut resigned = signed_headers_with_host("key", 1_700_000_000, b"{}", "127.0.0.1");
        for (name, value) in resigned.iter_mut() {
            if name == "Host" {
                *value = "127.0.0.1:1".to_owned();
            }
        }
        assert!(verify(&request(&resigned, b"{}"), 1_700_000_000, keys).is_ok());
        // Any other host is still refused.
        for (name, value) in resigned.iter_mut() {
            if name == "Host" {
                *value = "127.0.0.2:1".to_owned();
            }
        }
        assert_eq!(
            verify(&request(&resigned, b"{}"), 1_700_000_000, keys),
            Err(AuthError::SignatureFailure)
        );
    }

    #[test]
    fn accepts_its_own_signature_and_rejects_a_tampered_body() {
        let headers = signed_headers("key", 1_700_000_000, b"{}");
        let keys = |id: &str| (id == "AKID").then_some("key");
        assert!(verify(&request(&headers, b"{}"), 1_700_000_000, keys).is_ok());
        assert_eq!(
            verify(&request(&headers, b"{ }"), 1_700_000_000, keys),
            Err(AuthError::SignatureFailure)
        );
    }

    #[test]
    fn skew_boundary_is_300_seconds_inclusive() {
        let headers = signed_headers("key", 1_700_000_000, b"{}");
        let keys = |_: &str| Some("key");
        assert!(verify(&request(&headers, b"{}"), 1_700_000_300, keys).is_ok());
        assert!(verify(&request(&headers, b"{}"), 1_699_999_700, keys).is_ok());
        assert_eq!(
            verify(&request(&headers, b"{}"), 1_700_000_301, keys),
            Err(AuthError::Expired)
        );
    }

    #[test]
    fn unknown_secret_id_and_malformed_headers() {
        let headers = signed_headers("key", 1_700_000_000, b"{}");
        assert_eq!(
            verify(&request(&headers, b"{}"), 1_700_000_000, |_| None),
            Err(AuthError::SecretIdNotFound)
        );
        assert!(matches!(
            parse_authorization("TC3-HMAC-SHA256 Credential=a/b/c, SignedHeaders=x, Signature=y"),
            Err(AuthError::InvalidAuthorization(_))
        ));
        assert!(matches!(
            parse_authorization("HMAC Credential=a/b/c/tc3_request"),
            Err(AuthError::InvalidAuthorization(_))
        ));
    }
}
