//! Every TC3 vector computed by Tencent's Python SDK (`fixtures/tc3-vectors.json`) passes,
//! step by step, through the pure functions and through the key-caching `Signer`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gaap_client::signing::{
    self, Payload, SignableRequest, Signer, canonical_request, credential_scope, sign_parts,
    string_to_sign, utc_date,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    count: usize,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    method: String,
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    service: String,
    host: String,
    timestamp: i64,
    unsigned_payload: bool,
    query: String,
    payload: String,
    content_type: String,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    date: String,
    credential_scope: String,
    hashed_request_payload: String,
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    authorization: String,
    x_tc_timestamp: String,
    headers: std::collections::BTreeMap<String, String>,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("fixtures/tc3-vectors.json");
    let file: File = serde_json::from_str(text).unwrap();
    assert_eq!(file.vectors.len(), file.count);
    assert_eq!(file.count, 40);
    file.vectors
}

fn request(v: &Vector) -> SignableRequest<'_> {
    SignableRequest {
        method: &v.method,
        query: &v.query,
        content_type: &v.content_type,
        host: &v.host,
        payload: if v.unsigned_payload {
            Payload::Unsigned
        } else {
            Payload::Bytes(v.payload.as_bytes())
        },
    }
}

#[test]
fn every_vector_matches_step_by_step() {
    for v in vectors() {
        let name = &v.name;
        let req = request(&v);
        assert_eq!(utc_date(v.timestamp), v.expected.date, "{name}: date");
        assert_eq!(v.timestamp.to_string(), v.expected.x_tc_timestamp, "{name}");
        let scope = credential_scope(&v.expected.date, &v.service);
        assert_eq!(scope, v.expected.credential_scope, "{name}: scope");
        let hashed = req.payload.hash();
        assert_eq!(
            hashed, v.expected.hashed_request_payload,
            "{name}: payload hash"
        );
        let canonical = canonical_request(&req, &hashed);
        assert_eq!(
            canonical, v.expected.canonical_request,
            "{name}: canonical request"
        );
        let sts = string_to_sign(v.timestamp, &scope, &canonical);
        assert_eq!(sts, v.expected.string_to_sign, "{name}: string to sign");

        let parts = sign_parts(&req, &v.secret_id, &v.secret_key, &v.service, v.timestamp);
        assert_eq!(parts.signature, v.expected.signature, "{name}: signature");
        assert_eq!(
            parts.authorization, v.expected.authorization,
            "{name}: authorization"
        );
        assert_eq!(
            v.expected.headers.get("Authorization"),
            Some(&v.expected.authorization),
            "{name}"
        );
        // The token is sent, never signed.
        assert_eq!(
            v.expected.headers.get("X-TC-Token"),
            v.token.as_ref(),
            "{name}: token header"
        );
    }
}

#[test]
fn the_caching_signer_matches_every_vector_in_sequence() {
    // One signer per service, reused across secrets and dates: the cache must never hand
    // out a key derived for another secret or day.
    let gaap = Signer::new("gaap");
    let cvm = Signer::new("cvm");
    for round in 0..2 {
        for v in vectors() {
            let signer = if v.service == "gaap" { &gaap } else { &cvm };
            let auth = signer.authorization(&request(&v), &v.secret_id, &v.secret_key, v.timestamp);
            assert_eq!(auth, v.expected.authorization, "{} (round {round})", v.name);
        }
    }
}

#[test]
fn unsigned_payload_hashes_the_literal() {
    assert_eq!(
        Payload::Unsigned.hash(),
        "438d4109ef0d676b8c2c7ed13cdfcb418e494d53b843d4634ce3b1085f07bb96"
    );
    assert_eq!(signing::UNSIGNED_PAYLOAD, "UNSIGNED-PAYLOAD");
}
