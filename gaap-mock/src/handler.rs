//! One request through the emulator: common parameters, signature, action and version,
//! injected faults, rate limit, parameter parsing and validation, then state or example.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use serde_json::{Map, Value};

use crate::clock::Clock;
use crate::credentials::Credentials;
use crate::envelope::{self, ApiError};
use crate::faults::{Fault, Faults};
use crate::params;
use crate::rate_limit::RateLimiter;
use crate::signature::{self, SignedRequest, SigningKeys};
use crate::signature_v1;
use crate::spec::Spec;
use crate::state::Store;
use crate::validate;

/// Everything a request needs, shared by every connection of one server.
#[derive(Debug)]
pub struct Shared {
    pub(crate) spec: &'static Spec,
    pub(crate) credentials: Credentials,
    pub(crate) signing_keys: SigningKeys,
    pub(crate) clock: Clock,
    pub(crate) faults: Faults,
    pub(crate) rate_limit: bool,
    /// Leave out the output fields the page marks as replaced.
    pub(crate) omit_replaced_fields: bool,
    pub(crate) limiter: RateLimiter,
    pub(crate) store: Mutex<Store>,
    pub(crate) counts: Mutex<HashMap<String, u64>>,
}

/// A received request, reduced to what the emulator reads.
#[derive(Debug)]
pub struct Received {
    /// `GET`, `POST`...
    pub method: String,
    /// Headers as (name, value), in arrival order.
    pub headers: Vec<(String, String)>,
    /// Raw query string (after `?`).
    pub raw_query: String,
    /// Raw body bytes.
    pub body: bytes::Bytes,
}

/// What to send back.
#[derive(Debug, PartialEq)]
pub enum Reply {
    /// HTTP 200 with this envelope, whose `RequestId` is the second field.
    Json(Value, String),
    /// A bare HTTP status (an injected 5xx).
    Status(u16),
    /// Close the connection without answering.
    Drop,
}

impl Shared {
    /// Answer one request.
    pub async fn answer(&self, req: &Received) -> Reply {
        let request_id = envelope::request_id();
        let (action, result) = self.process(req, &request_id).await;
        match result {
            Ok(Outcome::Fields(fields)) => {
                tracing::info!(action = action.as_deref().unwrap_or("-"), %request_id, "ok");
                Reply::Json(envelope::success(fields, &request_id), request_id)
            }
            Ok(Outcome::Fault(reply)) => {
                tracing::info!(
                    action = action.as_deref().unwrap_or("-"),
                    ?reply,
                    "injected fault"
                );
                reply
            }
            Err(err) => {
                tracing::info!(action = action.as_deref().unwrap_or("-"), code = %err.code, %request_id, "error");
                Reply::Json(envelope::error(&err, &request_id), request_id)
            }
        }
    }

    async fn process(
        &self,
        req: &Received,
        request_id: &str,
    ) -> (Option<String>, Result<Outcome, ApiError>) {
        let v1 = v1_params(req);
        let action = match &v1 {
            Some(pairs) => signature_v1::param(pairs, "Action"),
            None => header(req, "X-TC-Action"),
        }
        .map(str::to_owned);
        let result = match &action {
            Some(action) => {
                self.process_action(req, action, v1.as_deref(), request_id)
                    .await
            }
            None => Err(missing("Action")),
        };
        (action, result)
    }

    async fn process_action(
        &self,
        req: &Received,
        action: &str,
        v1: Option<&[(String, String)]>,
        request_id: &str,
    ) -> Result<Outcome, ApiError> {
        self.count(action);
        if req.method != "GET" && req.method != "POST" {
            return Err(ApiError::new(
                "UnsupportedProtocol",
                "Only the GET and POST methods are supported.",
            ));
        }
        let version = match v1 {
            Some(pairs) => signature_v1::param(pairs, "Version"),
            None => header(req, "X-TC-Version"),
        }
        .ok_or_else(|| missing("Version"))?;
        let now = self.clock.now();
        let keys = |id: &str| self.credentials.key(id);
        let verified = match v1 {
            Some(pairs) => {
                let host = header(req, "Host").unwrap_or_default();
                signature_v1::verify(&req.method, host, pairs, now, keys).map(|_| ())
            }
            None => {
                let signed = SignedRequest {
                    method: &req.method,
                    headers: &req.headers,
                    raw_query: &req.raw_query,
                    body: &req.body,
                };
                signature::verify_with(&signed, now, keys, &self.signing_keys).map(|_| ())
            }
        };
        verified.map_err(|e| ApiError::new(e.code(), e.to_string()))?;
        let spec = self.spec.action(action).ok_or_else(|| {
            ApiError::new(
                "InvalidAction",
                "The request `Action` is invalid or not found.",
            )
        })?;
        if version != self.spec.version {
            return Err(ApiError::new(
                "NoSuchVersion",
                format!("The requested version `{version}` of API `{action}` is not supported."),
            ));
        }
        let mut drop_after = false;
        match self.faults.take(action) {
            Some(Fault::Latency(delay)) => tokio::time::sleep(delay).await,
            Some(Fault::Error(code)) => {
                return Err(ApiError::new(code, "Injected fault."));
            }
            Some(Fault::Http(status)) => return Ok(Outcome::Fault(Reply::Status(status))),
            Some(Fault::Drop) => return Ok(Outcome::Fault(Reply::Drop)),
            Some(Fault::ApplyThenDrop) => drop_after = true,
            None => {}
        }
        let outcome = self.apply(req, action, spec, v1.is_some())?;
        if drop_after {
            // The request took effect; the client never learns it.
            return Ok(Outcome::Fault(Reply::Drop));
        }
        Ok(outcome)
    }

    /// Rate limit, parameters, validation, then state or the page's example.
    fn apply(
        &self,
        req: &Received,
        action: &str,
        spec: &crate::spec::ActionSpec,
        v1: bool,
    ) -> Result<Outcome, ApiError> {
        if self.rate_limit {
            let limit = spec.rate_limit_per_second;
            self.limiter
                .check(action, limit, Instant::now())
                .map_err(|count| {
                    ApiError::new(
                        "RequestLimitExceeded",
                        format!("Your current request times equals to `{count}` in a second, which exceeds the frequency limit `{limit}` for a second. Please reduce the frequency of calls."),
                    )
                })?;
        }
        let params = self.params(req, v1)?;
        validate::check(action, &params).ok_or_else(|| {
            ApiError::new(
                "InvalidAction",
                "The request `Action` is invalid or not found.",
            )
        })??;
        let stateful = self
            .store
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .handle(action, &params, self.clock.now(), request_id);
        let mut fields = match stateful {
            Some(outcome) => outcome?,
            None => example(spec.example_response.as_ref()),
        };
        if self.omit_replaced_fields {
            for name in &spec.replaced_outputs {
                fields.remove(name);
            }
        }
        Ok(Outcome::Fields(fields))
    }

    fn params(&self, req: &Received, v1: bool) -> Result<Value, ApiError> {
        let skip = if v1 { signature_v1::COMMON_PARAMS } else { &[] };
        if req.method == "GET" {
            return params::from_form(req.raw_query.as_bytes(), skip);
        }
        let content_type = header(req, "Content-Type").unwrap_or_default();
        let media = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match media.as_str() {
            "application/json" => params::from_json(&req.body),
            "application/x-www-form-urlencoded" => params::from_form(&req.body, skip),
            _ => Err(ApiError::new(
                "InvalidParameter",
                format!("Content-Type `{content_type}` is not supported; use application/json."),
            )),
        }
    }

    fn count(&self, action: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        match counts.get_mut(action) {
            Some(count) => *count += 1,
            None => {
                counts.insert(action.to_owned(), 1);
            }
        }
    }
}

enum Outcome {
    Fields(Map<String, Value>),
    Fault(Reply),
}

/// The page's example response (an empty object when the page has none).
fn example(response: Option<&Value>) -> Map<String, Value> {
    response
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// The decoded parameters of a v1-signed request (query of a GET, form body of a POST),
/// or `None` for a TC3 request.
fn v1_params(req: &Received) -> Option<Vec<(String, String)>> {
    if header(req, "Authorization").is_some() {
        return None;
    }
    let text: &[u8] = if req.method == "GET" {
        req.raw_query.as_bytes()
    } else if header(req, "Content-Type").is_some_and(|ct| {
        ct.trim()
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    }) {
        &req.body
    } else {
        return None;
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(text).into_owned().collect();
    signature_v1::is_v1(&pairs).then_some(pairs)
}

fn header<'a>(req: &'a Received, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn missing(name: &str) -> ApiError {
    ApiError::new(
        "MissingParameter",
        format!("The request is missing a required parameter `{name}`."),
    )
}
