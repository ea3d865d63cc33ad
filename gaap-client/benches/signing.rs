//! Signing a 200-byte request body with a cached signing key.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use gaap_client::signing::{Payload, SignableRequest, Signer};
use std::hint::black_box;

fn signing(c: &mut Criterion) {
    let body = format!(
        r#"{{"ProxyId":"link-11112222","ListenerName":"bench","Ports":[80,443],"Scheduler":"rr","HealthCheck":1,"RealServerType":"IP","DelayLoop":5,"ConnectTimeout":2,"ClientIPMethod":0,"Pad":"{}"}}"#,
        "x".repeat(17)
    );
    assert_eq!(body.len(), 200);
    let signer = Signer::new("gaap");
    let request = SignableRequest {
        method: "POST",
        query: "",
        content_type: "application/json",
        host: "gaap.tencentcloudapi.com",
        payload: Payload::Bytes(body.as_bytes()),
    };
    // Warm the key cache: the derived key only changes with the UTC date.
    let _ = signer.authorization(&request, "AKIDEXAMPLE", "secretexample", 1_700_000_000);
    c.bench_function("sign_200_byte_request_cached_key", |b| {
        b.iter(|| {
            signer.authorization(
                black_box(&request),
                black_box("AKIDEXAMPLE"),
                black_box("secretexample"),
                black_box(1_700_000_000),
            )
        })
    });
    c.bench_function("sign_200_byte_request_fresh_key", |b| {
        b.iter(|| {
            gaap_client::signing::sign_parts(
                black_box(&request),
                "AKIDEXAMPLE",
                "secretexample",
                "gaap",
                black_box(1_700_000_000),
            )
            .authorization
        })
    });
}

criterion_group!(benches, signing);
criterion_main!(benches);
