//! TC3-HMAC-SHA256 request signing, as Tencent Cloud's official SDKs compute it.
//!
//! Pure functions for each step (payload hash, canonical request, string to sign, key
//! derivation, signature, `Authorization` header) plus [`Signer`], which caches the derived
//! signing key: the key depends only on the secret key, the UTC date and the service, so it is
//! derived once a day instead of on every call.
//!
//! Only `content-type` and `host` are signed; the body is hashed byte for byte as sent.

use std::sync::{Arc, Mutex, PoisonError};

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

/// The signature algorithm name, first word of the `Authorization` header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// The headers every official SDK signs.
pub const SIGNED_HEADERS: &str = "content-type;host";
/// The literal hashed instead of the body when the payload is unsigned.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// Last element of the credential scope and of the key derivation chain.
const TERMINATOR: &str = "tc3_request";

type HmacSha256 = Hmac<Sha256>;

/// SHA-256 block size: HMAC keys are zero-padded (or first hashed) to this length.
const BLOCK_LEN: usize = 64;

/// An HMAC-SHA256 keyed with `key` (RFC 2104: keys longer than a block are hashed first).
fn hmac(key: &[u8]) -> HmacSha256 {
    let mut block = Zeroizing::new([0u8; BLOCK_LEN]);
    if key.len() > BLOCK_LEN {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    HmacSha256::new(&(*block).into())
}

fn hmac_bytes(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = hmac(key);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The UTC calendar date (`YYYY-MM-DD`) of a Unix timestamp in seconds: exact for every
/// timestamp (proleptic Gregorian calendar), and the same function the emulator verifies
/// with (it lives in `gaap-wire`).
pub use gaap_wire::date::utc_date;

/// `<date>/<service>/tc3_request`.
pub fn credential_scope(date: &str, service: &str) -> String {
    format!("{date}/{service}/{TERMINATOR}")
}

/// What gets hashed as the request payload.
#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    /// The body bytes exactly as sent (empty for GET).
    Bytes(&'a [u8]),
    /// The literal `UNSIGNED-PAYLOAD` (sent with `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`).
    Unsigned,
}

impl Payload<'_> {
    /// Lowercase hex SHA-256 of the payload.
    pub fn hash(&self) -> String {
        match self {
            Payload::Bytes(bytes) => sha256_hex(bytes),
            Payload::Unsigned => sha256_hex(UNSIGNED_PAYLOAD.as_bytes()),
        }
    }
}

/// The parts of a request that the signature covers.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// `POST` or `GET`.
    pub method: &'a str,
    /// The raw query string as sent (empty for POST).
    pub query: &'a str,
    /// The `Content-Type` header value, verbatim.
    pub content_type: &'a str,
    /// The `Host` header value: host, plus `:port` when one is sent.
    pub host: &'a str,
    /// The payload to hash.
    pub payload: Payload<'a>,
}

/// `METHOD\n/\n<query>\ncontent-type:<ct>\nhost:<host>\n\ncontent-type;host\n<payload hash>`.
///
/// Header values are used verbatim, as the official SDKs sign them (the client only sends
/// values that are already trimmed and lowercase).
pub fn canonical_request(request: &SignableRequest<'_>, payload_hash: &str) -> String {
    canonical_request_pieces(request, payload_hash).concat()
}

/// The pieces of the canonical request, in order: joined by [`canonical_request`], hashed
/// piece by piece (without building the string) by [`Signer`].
fn canonical_request_pieces<'a>(
    request: &SignableRequest<'a>,
    payload_hash: &'a str,
) -> [&'a str; 11] {
    [
        request.method,
        "\n/\n",
        request.query,
        "\ncontent-type:",
        request.content_type,
        "\nhost:",
        request.host,
        "\n\n",
        SIGNED_HEADERS,
        "\n",
        payload_hash,
    ]
}

/// `TC3-HMAC-SHA256\n<timestamp>\n<scope>\n<hex SHA-256 of the canonical request>`.
pub fn string_to_sign(timestamp: i64, credential_scope: &str, canonical_request: &str) -> String {
    let hashed = sha256_hex(canonical_request.as_bytes());
    string_to_sign_pieces(&timestamp.to_string(), credential_scope, &hashed).concat()
}

/// The pieces of the string to sign, in order.
fn string_to_sign_pieces<'a>(
    timestamp: &'a str,
    credential_scope: &'a str,
    hashed_canonical_request: &'a str,
) -> [&'a str; 7] {
    [
        ALGORITHM,
        "\n",
        timestamp,
        "\n",
        credential_scope,
        "\n",
        hashed_canonical_request,
    ]
}

/// The derived signing key `HMAC(HMAC(HMAC("TC3"+secret, date), service), "tc3_request")`.
///
/// Zeroized on drop; its `Debug` shows nothing of the key.
#[derive(Clone)]
pub struct SigningKey {
    /// HMAC state keyed with the derived key: cloning it skips the two key-pad compressions.
    mac: HmacSha256,
}

impl SigningKey {
    /// Derive the key for `secret_key` on `date` (`YYYY-MM-DD`) for `service`.
    pub fn derive(secret_key: &str, date: &str, service: &str) -> Self {
        let mut prefixed = Zeroizing::new(String::with_capacity(secret_key.len() + 3));
        prefixed.push_str("TC3");
        prefixed.push_str(secret_key);
        let mut k_date = hmac_bytes(prefixed.as_bytes(), date.as_bytes());
        let mut k_service = hmac_bytes(&k_date, service.as_bytes());
        let mut k_signing = hmac_bytes(&k_service, TERMINATOR.as_bytes());
        let mac = hmac(&k_signing);
        k_date.zeroize();
        k_service.zeroize();
        k_signing.zeroize();
        Self { mac }
    }

    /// Lowercase hex HMAC-SHA256 of `string_to_sign` under this key.
    pub fn sign(&self, string_to_sign: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(string_to_sign.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(** redacted **)")
    }
}

/// `TC3-HMAC-SHA256 Credential=<id>/<scope>, SignedHeaders=content-type;host, Signature=<sig>`.
pub fn authorization(secret_id: &str, credential_scope: &str, signature: &str) -> String {
    format!(
        "{ALGORITHM} Credential={secret_id}/{credential_scope}, SignedHeaders={SIGNED_HEADERS}, Signature={signature}"
    )
}

/// Every intermediate value of one signature, for tests and debugging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureParts {
    /// UTC date of the timestamp.
    pub date: String,
    /// `<date>/<service>/tc3_request`.
    pub credential_scope: String,
    /// Hex SHA-256 of the payload.
    pub hashed_payload: String,
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// Hex signature.
    pub signature: String,
    /// The `Authorization` header value.
    pub authorization: String,
}

/// Sign `request` from scratch (no cached key), returning every intermediate value.
pub fn sign_parts(
    request: &SignableRequest<'_>,
    secret_id: &str,
    secret_key: &str,
    service: &str,
    timestamp: i64,
) -> SignatureParts {
    let date = utc_date(timestamp);
    let key = SigningKey::derive(secret_key, &date, service);
    sign_with_key(request, secret_id, &key, &date, service, timestamp)
}

fn sign_with_key(
    request: &SignableRequest<'_>,
    secret_id: &str,
    key: &SigningKey,
    date: &str,
    service: &str,
    timestamp: i64,
) -> SignatureParts {
    let credential_scope = credential_scope(date, service);
    let hashed_payload = request.payload.hash();
    let canonical_request = canonical_request(request, &hashed_payload);
    let string_to_sign = string_to_sign(timestamp, &credential_scope, &canonical_request);
    let signature = key.sign(&string_to_sign);
    let authorization = authorization(secret_id, &credential_scope, &signature);
    SignatureParts {
        date: date.to_owned(),
        credential_scope,
        hashed_payload,
        canonical_request,
        string_to_sign,
        signature,
        authorization,
    }
}

/// The cache entry: the key derived for one secret on one UTC day, and that day's scope.
struct CachedKey {
    secret_key: Zeroizing<String>,
    day: i64,
    credential_scope: String,
    key: SigningKey,
}

/// Lowercase hex of a SHA-256 digest, on the stack.
fn hex32(digest: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    // A 32-byte digest always fills exactly 64 hex digits.
    let _ = hex::encode_to_slice(digest, &mut out);
    out
}

/// `n` in decimal, written into `buf` without allocating.
fn decimal(n: i64, buf: &mut [u8; 24]) -> &str {
    use std::io::Write;
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    // 24 bytes hold any i64 (at most 20 characters).
    let _ = write!(cursor, "{n}");
    let len = usize::try_from(cursor.position()).unwrap_or(0);
    ascii(&buf[..len])
}

fn ascii(bytes: &[u8]) -> &str {
    // Hex digits are ASCII.
    std::str::from_utf8(bytes).unwrap_or_default()
}

/// Signs requests for one service, caching the derived key per (secret, UTC date).
///
/// The hot path builds neither the canonical request nor the string to sign: it feeds
/// their pieces straight into SHA-256 and HMAC, so signing a request costs a few hash
/// blocks and one allocation (the header value).
pub struct Signer {
    service: String,
    cached: Mutex<Option<Arc<CachedKey>>>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer for `service` (the credential scope's service name, e.g. `gaap`).
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            cached: Mutex::new(None),
        }
    }

    /// The service name this signer puts in the credential scope.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The signing key for `secret_key` on the UTC day of `timestamp`, derived only when
    /// the secret or the day changed since the last call.
    fn key_for(&self, secret_key: &str, timestamp: i64) -> Arc<CachedKey> {
        let day = timestamp.div_euclid(86_400);
        let mut cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = cached.as_ref()
            && entry.day == day
            && entry.secret_key.as_str() == secret_key
        {
            return Arc::clone(entry);
        }
        let date = utc_date(timestamp);
        let entry = Arc::new(CachedKey {
            secret_key: Zeroizing::new(secret_key.to_owned()),
            day,
            credential_scope: credential_scope(&date, &self.service),
            key: SigningKey::derive(secret_key, &date, &self.service),
        });
        *cached = Some(Arc::clone(&entry));
        entry
    }

    /// The `Authorization` header value for `request` at `timestamp`.
    pub fn authorization(
        &self,
        request: &SignableRequest<'_>,
        secret_id: &str,
        secret_key: &str,
        timestamp: i64,
    ) -> String {
        let entry = self.key_for(secret_key, timestamp);
        let payload_hash = match request.payload {
            Payload::Bytes(bytes) => hex32(&Sha256::digest(bytes)),
            Payload::Unsigned => hex32(&Sha256::digest(UNSIGNED_PAYLOAD.as_bytes())),
        };
        let mut canonical = Sha256::new();
        for piece in canonical_request_pieces(request, ascii(&payload_hash)) {
            canonical.update(piece.as_bytes());
        }
        let canonical_hash = hex32(&canonical.finalize());
        let mut digits = [0u8; 24];
        let timestamp = decimal(timestamp, &mut digits);
        let mut mac = entry.key.mac.clone();
        for piece in
            string_to_sign_pieces(timestamp, &entry.credential_scope, ascii(&canonical_hash))
        {
            mac.update(piece.as_bytes());
        }
        let signature = hex32(&mac.finalize().into_bytes());
        let mut out = String::with_capacity(160 + secret_id.len());
        for piece in [
            ALGORITHM,
            " Credential=",
            secret_id,
            "/",
            &entry.credential_scope,
            ", SignedHeaders=",
            SIGNED_HEADERS,
            ", Signature=",
            ascii(&signature),
        ] {
            out.push_str(piece);
        }
        out
    }

    /// Sign `request` at `timestamp`, returning every intermediate value.
    pub fn sign(
        &self,
        request: &SignableRequest<'_>,
        secret_id: &str,
        secret_key: &str,
        timestamp: i64,
    ) -> SignatureParts {
        let entry = self.key_for(secret_key, timestamp);
        let date = utc_date(timestamp);
        sign_with_key(
            request,
            secret_id,
            &entry.key,
            &date,
            &self.service,
            timestamp,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_hmac_keys_are_hashed_first() {
        let long = [7u8; 100];
        let mut reference = <HmacSha256 as KeyInit>::new_from_slice(&long).unwrap();
        reference.update(b"data");
        let expected: [u8; 32] = reference.finalize().into_bytes().into();
        assert_eq!(hmac_bytes(&long, b"data"), expected);
    }

    #[test]
    fn signer_cache_follows_secret_and_date() {
        let request = SignableRequest {
            method: "POST",
            query: "",
            content_type: "application/json",
            host: "gaap.tencentcloudapi.com",
            payload: Payload::Bytes(b"{}"),
        };
        let signer = Signer::new("gaap");
        for (key, ts) in [
            ("a", 1_700_000_000),
            ("a", 1_700_000_001),
            ("b", 1_700_000_001),
            ("b", 1_800_000_000),
        ] {
            let expected = sign_parts(&request, "id", key, "gaap", ts);
            assert_eq!(signer.sign(&request, "id", key, ts), expected);
            assert_eq!(
                signer.authorization(&request, "id", key, ts),
                expected.authorization
            );
        }
    }

    #[test]
    fn decimal_formats_without_allocating() {
        let mut buf = [0u8; 24];
        assert_eq!(decimal(1_700_000_000, &mut buf), "1700000000");
        assert_eq!(decimal(i64::MIN, &mut buf), i64::MIN.to_string());
    }

    #[test]
    fn debug_hides_the_key() {
        let key = SigningKey::derive("topsecret", "2024-01-01", "gaap");
        assert_eq!(format!("{key:?}"), "SigningKey(** redacted **)");
    }
}
