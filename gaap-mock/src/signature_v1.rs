//! Signature v1 (`HmacSHA1`, or `HmacSHA256` when `SignatureMethod=HmacSHA256`) for `GET`
//! query and `POST` form requests: every common parameter travels with the business ones,
//! and the signature covers `METHOD + host + "/?" + k=v&...` with the keys sorted by ASCII
//! and the values raw (not URL-encoded).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::Sha256;

use crate::signature::{AuthError, MAX_SKEW_SECS};

/// Whether decoded form parameters carry a v1 signature.
pub fn is_v1(params: &[(String, String)]) -> bool {
    param(params, "Signature").is_some() && param(params, "SecretId").is_some()
}

/// The first value of `name`.
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// What a verified v1 request proved; `(secret_id, timestamp, nonce)` identifies it for replay
/// detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V1Verified {
    /// The SecretId that signed the request.
    pub secret_id: String,
    /// Its `Timestamp`.
    pub timestamp: i64,
    /// Its `Nonce`, a positive integer.
    pub nonce: u64,
}

/// Verify a v1 request: `method` and `host` as received, `params` the decoded query or form
/// parameters, at time `now`, looking secret keys up with `key_for`.
///
/// Replays are not detected here (that needs memory across requests): the server refuses a
/// second request with the same [`V1Verified`] identity within the signature window.
pub fn verify<'k>(
    method: &str,
    host: &str,
    params: &[(String, String)],
    now: i64,
    key_for: impl Fn(&str) -> Option<&'k str>,
) -> Result<V1Verified, AuthError> {
    let secret_id = param(params, "SecretId").ok_or(AuthError::MissingParameter("SecretId"))?;
    let signature = param(params, "Signature").ok_or(AuthError::MissingParameter("Signature"))?;
    let nonce: u64 = param(params, "Nonce")
        .ok_or(AuthError::MissingParameter("Nonce"))?
        .parse()
        .map_err(|_| AuthError::BadNonce)?;
    if nonce == 0 {
        return Err(AuthError::BadNonce);
    }
    let timestamp: i64 = param(params, "Timestamp")
        .ok_or(AuthError::MissingParameter("Timestamp"))?
        .trim()
        .parse()
        .map_err(|_| AuthError::BadTimestamp)?;
    if now.saturating_sub(timestamp).saturating_abs() > MAX_SKEW_SECS {
        return Err(AuthError::Expired);
    }
    let secret_key = key_for(secret_id).ok_or(AuthError::SecretIdNotFound)?;
    let expected = sign(
        secret_key,
        &string_to_sign(method, host, params),
        param(params, "SignatureMethod"),
    );
    if expected.as_bytes() == signature.as_bytes() {
        Ok(V1Verified {
            secret_id: secret_id.to_owned(),
            timestamp,
            nonce,
        })
    } else {
        Err(AuthError::SignatureFailure)
    }
}

/// `METHOD + host + "/?" + sorted k=v pairs` (every parameter but `Signature`).
pub fn string_to_sign(method: &str, host: &str, params: &[(String, String)]) -> String {
    let mut pairs: Vec<(&str, &str)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.sort();
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{}{host}/?{}", method.to_ascii_uppercase(), query.join("&"))
}

/// Base64 HMAC of `text`: SHA-256 for `HmacSHA256`, SHA-1 otherwise.
pub fn sign(secret_key: &str, text: &str, method: Option<&str>) -> String {
    let digest = if method == Some("HmacSHA256") {
        Hmac::<Sha256>::new_from_slice(secret_key.as_bytes())
            .map(|mut mac| {
                mac.update(text.as_bytes());
                mac.finalize().into_bytes().to_vec()
            })
            .unwrap_or_default()
    } else {
        Hmac::<Sha1>::new_from_slice(secret_key.as_bytes())
            .map(|mut mac| {
                mac.update(text.as_bytes());
                mac.finalize().into_bytes().to_vec()
            })
            .unwrap_or_default()
    };
    STANDARD.encode(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// The worked example of Tencent Cloud's "Signature" (v1) documentation.
    #[test]
    fn documentation_vector() {
        let mut params = pairs(&[
            ("Action", "DescribeInstances"),
            ("Version", "2017-03-12"),
            ("SecretId", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
            ("Region", "ap-guangzhou"),
            ("Timestamp", "1465185768"),
            ("Nonce", "11886"),
            ("InstanceIds.0", "ins-09dx96dg"),
            ("Offset", "0"),
            ("Limit", "20"),
        ]);
        let text = string_to_sign("GET", "cvm.tencentcloudapi.com", &params);
        assert_eq!(
            text,
            "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg\
             &Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou\
             &SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12"
        );
        let key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
        assert_eq!(sign(key, &text, None), "EliP9YW3pW28FpsEdkXt/+WcGeI=");
        params.push(("Signature".into(), "EliP9YW3pW28FpsEdkXt/+WcGeI=".into()));
        let keys = |_: &str| Some(key);
        let host = "cvm.tencentcloudapi.com";
        assert!(verify("GET", host, &params, 1_465_185_768, keys).is_ok());
        assert_eq!(
            verify("POST", host, &params, 1_465_185_768, keys),
            Err(AuthError::SignatureFailure)
        );
        assert_eq!(
            verify("GET", host, &params, 1_465_186_069, keys),
            Err(AuthError::Expired)
        );
        assert_eq!(
            verify("GET", host, &params, 1_465_185_768, |_| None),
            Err(AuthError::SecretIdNotFound)
        );
        assert!(is_v1(&params));
        for bad in ["0", "-1", "abc", "1.5", "", "99999999999999999999999"] {
            let mut with_bad = params.clone();
            for (k, v) in with_bad.iter_mut() {
                if k == "Nonce" {
                    *v = bad.to_owned();
                }
            }
            assert_eq!(
                verify("GET", host, &with_bad, 1_465_185_768, keys),
                Err(AuthError::BadNonce),
                "{bad}"
            );
        }
        let mut far = params.clone();
        for (k, v) in far.iter_mut() {
            if k == "Timestamp" {
                *v = i64::MIN.to_string();
            }
        }
        assert_eq!(
            verify("GET", host, &far, i64::MAX, keys),
            Err(AuthError::Expired)
        );
    }
}
