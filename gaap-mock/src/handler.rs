//! One request through the emulator: common parameters, signature, action and version,
//! injected faults, rate limit, parameter parsing and validation, then state or example.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use gaap_wire::common;
use serde_json::{Map, Value};
use tokio::sync::Semaphore;

use crate::clock::Clock;
use crate::credentials::Credentials;
use crate::envelope::{self, ApiError};
use crate::faults::{Fault, Faults};
use crate::params;
use crate::rate_limit::RateLimiter;
use crate::replay::NonceWindow;
use crate::signature::{self, AuthError, SignedRequest, SigningKeys};
use crate::signature_v1;
use crate::spec::{ActionSpec, Spec};
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
    pub(crate) nonces: Mutex<NonceWindow>,
    pub(crate) limits: Limits,
    /// One permit per open connection.
    pub(crate) connections: Arc<Semaphore>,
    /// One permit per buffered request-body byte.
    pub(crate) body_budget: Semaphore,
}

/// Resource limits of one server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Longest accepted query string (the documented GET limit: 32 KB).
    pub max_query_bytes: usize,
    /// Largest TC3 `POST` body (10 MB).
    pub max_body_bytes: usize,
    /// Largest signature-v1 form body (1 MB).
    pub max_form_body_bytes: usize,
    /// Most request-body bytes buffered at once across all connections.
    pub body_budget_bytes: usize,
    /// Most open connections; more are closed as soon as they are accepted.
    pub max_connections: usize,
    /// How long a connection may take to send a request head (or stay idle between
    /// requests), and a request its body.
    pub read_timeout: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_query_bytes: 32 * 1024,
            max_body_bytes: 10 * 1024 * 1024,
            max_form_body_bytes: 1024 * 1024,
            body_budget_bytes: 64 * 1024 * 1024,
            max_connections: 1024,
            read_timeout: std::time::Duration::from_secs(30),
        }
    }
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

/// How far [`Shared::gate`] checks a request: its head alone (before the body is read), or
/// the whole request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Head,
    Full,
}

impl Shared {
    /// Check everything the head of a request allows before any of its body is read: the
    /// path, the query size, the declared body size and, for TC3 requests (and v1 GETs), the
    /// action and version headers and the header-level authentication (well-formed
    /// `Authorization` signing `content-type` and `host`, timestamp, known SecretId, token),
    /// then that the action and version exist. `Ok(limit)`: read at most `limit` body bytes;
    /// `Err(reply)`: answer now.
    pub fn check_head(
        &self,
        req: &Received,
        path: &str,
        content_length: Option<u64>,
    ) -> Result<usize, Reply> {
        let (action, result) = self.head(req, path, content_length);
        result.map_err(|err| {
            if let Some(action) = &action {
                self.count(action);
            }
            self.error_reply(action.as_deref(), &err)
        })
    }

    fn head(
        &self,
        req: &Received,
        path: &str,
        content_length: Option<u64>,
    ) -> (Option<String>, Result<usize, ApiError>) {
        let form_v1 =
            req.method == "POST" && header(req, "Authorization").is_none() && is_form(req);
        let v1 = if form_v1 { None } else { v1_params(req) };
        let action = match &v1 {
            Some(pairs) => signature_v1::param(pairs, common::ACTION),
            None if form_v1 => None,
            None => header(req, common::header::ACTION),
        }
        .map(str::to_owned);
        let result = self.head_checks(
            req,
            path,
            content_length,
            form_v1,
            action.as_deref(),
            v1.as_deref(),
        );
        (action, result)
    }

    fn head_checks(
        &self,
        req: &Received,
        path: &str,
        content_length: Option<u64>,
        form_v1: bool,
        action: Option<&str>,
        v1: Option<&[(String, String)]>,
    ) -> Result<usize, ApiError> {
        if path != "/" {
            return Err(ApiError::new(
                "UnsupportedProtocol",
                "Only the path `/` is served.",
            ));
        }
        let max_query = self.limits.max_query_bytes;
        if req.raw_query.len() > max_query {
            return Err(ApiError::new(
                "RequestSizeLimitExceeded",
                format!(
                    "The query string is {} bytes; at most {max_query} are accepted. Send large requests as a POST.",
                    req.raw_query.len()
                ),
            ));
        }
        let limit = if form_v1 {
            self.limits.max_form_body_bytes
        } else if req.method == "GET" {
            max_query
        } else {
            self.limits.max_body_bytes
        };
        if let Some(length) = content_length
            && length > u64::try_from(limit).unwrap_or(u64::MAX)
        {
            return Err(body_too_large(limit));
        }
        if form_v1 {
            // The action and the signature are in the body.
            return Ok(limit);
        }
        let action = action.ok_or_else(|| missing(common::ACTION))?;
        self.gate(req, action, v1, Stage::Head)?;
        Ok(limit)
    }

    /// Answer one request whose body has been read.
    pub async fn answer(&self, req: &Received) -> Reply {
        // Known before the state changes: a write's RequestId is its task id.
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
            Err(err) => self.error_reply(action.as_deref(), &err),
        }
    }

    /// An error envelope, logged.
    pub fn error_reply(&self, action: Option<&str>, err: &ApiError) -> Reply {
        let request_id = envelope::request_id();
        tracing::info!(action = action.unwrap_or("-"), code = %err.code, %request_id, "error");
        Reply::Json(envelope::error(err, &request_id), request_id)
    }

    async fn process(
        &self,
        req: &Received,
        request_id: &str,
    ) -> (Option<String>, Result<Outcome, ApiError>) {
        let v1 = v1_params(req);
        let action = match &v1 {
            Some(pairs) => signature_v1::param(pairs, common::ACTION),
            None => header(req, common::header::ACTION),
        }
        .map(str::to_owned);
        let result = match &action {
            Some(action) => {
                self.count(action);
                self.process_action(req, action, v1.as_deref(), request_id)
                    .await
            }
            None => Err(missing(common::ACTION)),
        };
        (action, result)
    }

    /// Method, version, authentication (all of it at [`Stage::Full`]; what the head proves at
    /// [`Stage::Head`]), then the action and version must exist.
    fn gate(
        &self,
        req: &Received,
        action: &str,
        v1: Option<&[(String, String)]>,
        stage: Stage,
    ) -> Result<&'static ActionSpec, ApiError> {
        if req.method != "GET" && req.method != "POST" {
            return Err(ApiError::new(
                "UnsupportedProtocol",
                "Only the GET and POST methods are supported.",
            ));
        }
        let version = match v1 {
            Some(pairs) => signature_v1::param(pairs, common::VERSION),
            None => header(req, common::header::VERSION),
        }
        .ok_or_else(|| missing(common::VERSION))?;
        let now = self.clock.now();
        let keys = |id: &str| self.credentials.key(id);
        let auth_error = |e: AuthError| ApiError::new(e.code(), e.to_string());
        let signed = SignedRequest {
            method: &req.method,
            headers: &req.headers,
            raw_query: &req.raw_query,
            body: &req.body,
        };
        match (v1, stage) {
            // A v1 request is checked whole once its parameters are all read.
            (Some(_), Stage::Head) => {}
            (Some(pairs), Stage::Full) => {
                let host = header(req, "Host").unwrap_or_default();
                let verified = signature_v1::verify(&req.method, host, pairs, now, keys)
                    .map_err(auth_error)?;
                self.check_token(
                    &verified.secret_id,
                    signature_v1::param(pairs, common::TOKEN),
                )?;
                let fresh = self
                    .nonces
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .record(
                        (verified.secret_id, verified.timestamp, verified.nonce),
                        now,
                    );
                if !fresh {
                    return Err(auth_error(AuthError::NonceReplayed));
                }
            }
            (None, Stage::Head) => {
                let (auth, _, _) = signature::check_head(&signed, now, keys).map_err(auth_error)?;
                self.check_token(auth.secret_id, header(req, common::header::TOKEN))?;
            }
            (None, Stage::Full) => {
                let verified = signature::verify_with(&signed, now, keys, &self.signing_keys)
                    .map_err(auth_error)?;
                self.check_token(&verified.secret_id, header(req, common::header::TOKEN))?;
            }
        }
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
        Ok(spec)
    }

    fn check_token(&self, secret_id: &str, sent: Option<&str>) -> Result<(), ApiError> {
        self.credentials
            .check_token(secret_id, sent)
            .map_err(|failure| ApiError::new("AuthFailure.TokenFailure", failure.message()))
    }

    async fn process_action(
        &self,
        req: &Received,
        action: &str,
        v1: Option<&[(String, String)]>,
        request_id: &str,
    ) -> Result<Outcome, ApiError> {
        let spec = self.gate(req, action, v1, Stage::Full)?;
        let mut drop_after = false;
        let mut task_fails = false;
        match self.faults.take(action) {
            Some(Fault::Latency(delay)) => tokio::time::sleep(delay).await,
            Some(Fault::Error(code)) => {
                return Err(ApiError::new(code, "Injected fault."));
            }
            Some(Fault::Http(status)) => return Ok(Outcome::Fault(Reply::Status(status))),
            Some(Fault::Drop) => return Ok(Outcome::Fault(Reply::Drop)),
            Some(Fault::ApplyThenDrop) => drop_after = true,
            Some(Fault::TaskFails) => task_fails = true,
            None => {}
        }
        let outcome = self.apply(req, action, spec, v1.is_some(), request_id, task_fails)?;
        if drop_after {
            // The request took effect; the client never learns it.
            return Ok(Outcome::Fault(Reply::Drop));
        }
        Ok(outcome)
    }

    /// Rate limit, parameters, validation, then state or the page's example; with
    /// `task_fails`, the task the call starts ends `FAIL` (set under the same lock, so no
    /// reader ever sees it succeed).
    fn apply(
        &self,
        req: &Received,
        action: &str,
        spec: &crate::spec::ActionSpec,
        v1: bool,
        request_id: &str,
        task_fails: bool,
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
        // The store's lock covers only the state change: parsing and validation are done,
        // and every stateful handler is linear in its (capped) input.
        let stateful = {
            let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
            let outcome = store.handle(action, &params, self.clock.now(), request_id);
            if task_fails {
                store.fail_task(request_id);
            }
            outcome
        };
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
        let skip = if v1 { common::COMMON_PARAMS } else { &[] };
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

    /// Count a request naming `action`, if the action exists (so peers cannot grow the
    /// table with made-up names).
    fn count(&self, action: &str) {
        if self.spec.action(action).is_none() {
            return;
        }
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        match counts.get_mut(action) {
            Some(count) => *count += 1,
            None => {
                counts.insert(action.to_owned(), 1);
            }
        }
    }
}

/// `RequestSizeLimitExceeded` for a body over `limit` bytes.
pub fn body_too_large(limit: usize) -> ApiError {
    ApiError::new(
        "RequestSizeLimitExceeded",
        format!("The request body exceeds the {limit}-byte limit."),
    )
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
    } else if is_form(req) {
        &req.body
    } else {
        return None;
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(text).into_owned().collect();
    signature_v1::is_v1(&pairs).then_some(pairs)
}

/// Whether the body is declared `application/x-www-form-urlencoded`.
fn is_form(req: &Received) -> bool {
    header(req, "Content-Type").is_some_and(|ct| {
        ct.trim()
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    })
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
