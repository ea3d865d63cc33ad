//! The verifier accepts every signing vector computed by the official Python SDK (clock fixed
//! at the vector's timestamp), and rejects each one once a single signed input changes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gaap_mock::signature::{self, AuthError, SignedRequest};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let text = include_str!("../../gaap-client/tests/fixtures/tc3-vectors.json");
    let doc: Value = serde_json::from_str(text).unwrap();
    doc["vectors"].as_array().unwrap().clone()
}

fn headers_of(v: &Value) -> Vec<(String, String)> {
    v["expected"]["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

fn verify(
    v: &Value,
    headers: &[(String, String)],
    query: &str,
    body: &[u8],
    now: i64,
) -> Result<(), AuthError> {
    let req = SignedRequest {
        method: v["method"].as_str().unwrap(),
        headers,
        raw_query: query,
        body,
    };
    let id = v["secret_id"].as_str().unwrap();
    let key = v["secret_key"].as_str().unwrap();
    signature::verify(&req, now, |sid| (sid == id).then_some(key)).map(|_| ())
}

#[test]
fn every_vector_verifies_and_its_canonical_request_matches() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 40);
    for v in &vectors {
        let name = v["name"].as_str().unwrap();
        let headers = headers_of(v);
        let ts = v["timestamp"].as_i64().unwrap();
        let query = v["query"].as_str().unwrap();
        let body = v["payload"].as_str().unwrap().as_bytes();
        let req = SignedRequest {
            method: v["method"].as_str().unwrap(),
            headers: &headers,
            raw_query: query,
            body,
        };
        let auth = signature::parse_authorization(req.header("Authorization").unwrap()).unwrap();
        assert_eq!(
            signature::canonical_request(&req, &auth).unwrap(),
            v["expected"]["canonical_request"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(verify(v, &headers, query, body, ts), Ok(()), "{name}");
    }
}

#[test]
fn every_vector_fails_when_tampered_or_stale() {
    for v in &vectors() {
        let name = v["name"].as_str().unwrap();
        let headers = headers_of(v);
        let ts = v["timestamp"].as_i64().unwrap();
        let query = v["query"].as_str().unwrap();
        let body = v["payload"].as_str().unwrap().as_bytes();
        let unsigned = v["unsigned_payload"].as_bool().unwrap();
        if v["method"] == "POST" && !unsigned {
            let mut altered = body.to_vec();
            altered.push(b' ');
            assert_eq!(
                verify(v, &headers, query, &altered, ts),
                Err(AuthError::SignatureFailure),
                "{name}"
            );
        }
        if v["method"] == "GET" {
            let altered = format!("{query}&X=1");
            assert_eq!(
                verify(v, &headers, &altered, body, ts),
                Err(AuthError::SignatureFailure),
                "{name}"
            );
        }
        let mut other_host = headers.clone();
        for (k, val) in &mut other_host {
            if k.eq_ignore_ascii_case("host") {
                val.push_str(".evil");
            }
        }
        assert_eq!(
            verify(v, &other_host, query, body, ts),
            Err(AuthError::SignatureFailure),
            "{name}"
        );
        assert_eq!(
            verify(v, &headers, query, body, ts + 301),
            Err(AuthError::Expired),
            "{name}"
        );
        assert_eq!(verify(v, &headers, query, body, ts - 300), Ok(()), "{name}");
    }
}
