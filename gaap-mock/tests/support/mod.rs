//! A minimal TC3 signer over reqwest, to drive the emulator with raw requests.

use gaap_mock::signature::{self, Authorization, SignedRequest};
use serde_json::Value;

/// A signed raw call.
pub struct Call<'a> {
    pub url: &'a str,
    pub action: &'a str,
    pub version: &'a str,
    pub secret_id: &'a str,
    pub secret_key: &'a str,
    pub timestamp: i64,
    pub content_type: &'a str,
    pub method: &'a str,
    pub query: &'a str,
    pub body: &'a str,
}

impl<'a> Call<'a> {
    pub fn post(url: &'a str, action: &'a str, body: &'a str) -> Self {
        Call {
            url,
            action,
            version: "2018-05-29",
            secret_id: gaap_mock::DEFAULT_SECRET_ID,
            secret_key: gaap_mock::DEFAULT_SECRET_KEY,
            timestamp: gaap_mock::Clock::system().now(),
            content_type: "application/json",
            method: "POST",
            query: "",
            body,
        }
    }

    /// The request, signed, ready to send.
    pub fn build(&self, client: &reqwest::Client) -> reqwest::Request {
        let host = self.url.trim_start_matches("http://").to_owned();
        let ts = self.timestamp.to_string();
        let headers = vec![
            ("Content-Type".to_owned(), self.content_type.to_owned()),
            ("Host".to_owned(), host.clone()),
        ];
        let date = gaap_mock::utc_date(self.timestamp);
        let auth = Authorization {
            secret_id: self.secret_id,
            date: &date,
            service: "gaap",
            signed_headers: vec!["content-type", "host"],
            signed_headers_raw: "content-type;host",
            signature: "",
        };
        let req = SignedRequest {
            method: self.method,
            headers: &headers,
            raw_query: self.query,
            body: self.body.as_bytes(),
        };
        let canonical = signature::canonical_request(&req, &auth).unwrap();
        let sig = signature::sign(self.secret_key, &date, "gaap", &ts, &canonical);
        let url = if self.query.is_empty() {
            format!("{}/", self.url)
        } else {
            format!("{}/?{}", self.url, self.query)
        };
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).unwrap();
        client
            .request(method, url)
            .header("Content-Type", self.content_type)
            .header("X-TC-Action", self.action)
            .header("X-TC-Version", self.version)
            .header("X-TC-Timestamp", &ts)
            .header(
                "Authorization",
                format!(
                    "TC3-HMAC-SHA256 Credential={}/{date}/gaap/tc3_request, SignedHeaders=content-type;host, Signature={sig}",
                    self.secret_id
                ),
            )
            .body(self.body.to_owned())
            .build()
            .unwrap()
    }

    /// Send and return (status, content type, parsed body).
    pub async fn send(&self, client: &reqwest::Client) -> (u16, String, Value) {
        let response = client.execute(self.build(client)).await.unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, content_type, body)
    }
}

/// The error code of an envelope, or "" for a success.
pub fn code(body: &Value) -> &str {
    body.pointer("/Response/Error/Code")
        .and_then(Value::as_str)
        .unwrap_or("")
}
