//! [`Client`]: validate, sign, send, retry, rate-limit and decode one call.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use gaap_model::{Idempotency, Operation, Paginated, ServiceError};
use gaap_wire::common::header;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

use crate::config::{
    API_VERSION, CallOptions, ClientBuilder, Config, ConfigError, SERVICE, Validation,
};
use crate::credentials::{Credentials, CredentialsCache, CredentialsError};
use crate::envelope::{Decoded, decode};
use crate::error::{
    MaybeApplied, RequestError, SdkError, TransportError, TransportErrorKind, UntypedError,
};
use crate::paginator::Paginator;
use crate::rate_limit::RateLimiter;
use crate::retry::{
    Dispatch, Failure, RetryConfig, classify_code, classify_response, classify_transport,
    new_client_token,
};
use crate::signing::{Payload, SignableRequest, Signer};
use crate::transport::{ExchangeError, Transport};

/// The `Content-Type` of every request, signed verbatim.
const JSON: &str = "application/json";

/// What the retry loop needs to know about the action being called.
#[derive(Debug, Clone, Copy)]
struct ActionSpec<'a> {
    name: &'a str,
    idempotency: Idempotency,
    rate_limit: Option<u32>,
}

/// The GAAP client. Cheap to clone: clones share the connection pool, the credentials cache
/// and the rate limiter.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Overrides of [`Client::with_options`].
    options: Option<Arc<CallOptions>>,
    /// The runtime of a [`crate::blocking::Client`] (`send_blocking` runs on it).
    #[cfg(feature = "blocking")]
    pub(crate) runtime: Option<Arc<crate::blocking::OwnedRuntime>>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    transport: Transport,
    credentials: CredentialsCache,
    signer: Signer,
    limiter: RateLimiter,
}

/// Why one attempt failed: whether the request may have been applied, and whether another
/// attempt may succeed.
struct AttemptError<E> {
    error: SdkError<E>,
    dispatch: Dispatch,
    transient: bool,
}

impl Client {
    /// A builder with default settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the environment (see [`ClientBuilder::from_env`]):
    /// credentials from the default chain, `TENCENTCLOUD_REGION`,
    /// `TENCENTCLOUD_GAAP_ENDPOINT` and `TENCENTCLOUD_LANGUAGE`.
    pub fn from_env() -> Result<Self, ConfigError> {
        ClientBuilder::from_env().build()
    }

    #[cfg(feature = "test-util")]
    pub(crate) fn from_config_with_mock(
        config: Config,
        mock: Arc<crate::test_util::MockTransport>,
    ) -> Result<Self, ConfigError> {
        let mut transport = Transport::new(
            config.endpoint.url(),
            config.connect_timeout,
            config.max_response_bytes,
            &config.network,
        )?;
        transport.mock = Some(mock);
        Self::assemble(config, transport)
    }

    pub(crate) fn from_config(config: Config) -> Result<Self, ConfigError> {
        let transport = Transport::new(
            config.endpoint.url(),
            config.connect_timeout,
            config.max_response_bytes,
            &config.network,
        )?;
        Self::assemble(config, transport)
    }

    fn assemble(config: Config, transport: Transport) -> Result<Self, ConfigError> {
        let credentials = CredentialsCache::from_arc(Arc::clone(&config.credentials));
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                transport,
                credentials,
                signer: Signer::new(SERVICE),
                limiter: RateLimiter::default(),
            }),
            options: None,
            #[cfg(feature = "blocking")]
            runtime: None,
        })
    }

    /// The settings the client was built with.
    #[cfg(test)]
    pub(crate) fn config(&self) -> &Config {
        &self.inner.config
    }

    pub(crate) fn seed_credentials(&self, credentials: Credentials) {
        self.inner.credentials.seed(credentials);
    }

    /// A client whose calls use `options` over this client's settings (per-call settings:
    /// `client.with_options(CallOptions::new().retry_writes(true)).create_proxy()...`).
    /// Cheap: it shares the connection pool, the credentials cache and the rate limiter.
    pub fn with_options(&self, options: CallOptions) -> Self {
        let merged = match &self.options {
            Some(current) => {
                let mut headers = current.headers.clone();
                for (name, value) in options.headers {
                    headers.retain(|(n, _)| *n != name);
                    headers.push((name, value));
                }
                CallOptions {
                    validation: options.validation.or(current.validation),
                    retry: options.retry.or_else(|| current.retry.clone()),
                    retry_writes: options.retry_writes.or(current.retry_writes),
                    operation_timeout: options.operation_timeout.or(current.operation_timeout),
                    attempt_timeout: options.attempt_timeout.or(current.attempt_timeout),
                    headers,
                    header_error: options
                        .header_error
                        .or_else(|| current.header_error.clone()),
                }
            }
            None => options,
        };
        Self {
            inner: Arc::clone(&self.inner),
            options: Some(Arc::new(merged)),
            #[cfg(feature = "blocking")]
            runtime: self.runtime.clone(),
        }
    }

    /// The validation mode of this client's calls.
    pub fn validation(&self) -> Validation {
        self.options
            .as_ref()
            .and_then(|o| o.validation)
            .unwrap_or(self.inner.config.validation)
    }

    fn retry_config(&self) -> RetryConfig {
        let options = self.options.as_deref();
        let retry = options
            .and_then(|o| o.retry.clone())
            .unwrap_or_else(|| self.inner.config.retry.clone());
        match options.and_then(|o| o.retry_writes) {
            Some(writes) => retry.retry_writes(writes),
            None => retry,
        }
        .normalized()
    }

    fn operation_timeout(&self) -> Option<std::time::Duration> {
        self.options
            .as_ref()
            .and_then(|o| o.operation_timeout)
            .unwrap_or(self.inner.config.operation_timeout)
    }

    fn attempt_timeout(&self) -> Option<std::time::Duration> {
        self.options
            .as_ref()
            .and_then(|o| o.attempt_timeout)
            .unwrap_or(self.inner.config.timeout)
    }

    /// Call one action: validate (as the [`Validation`] mode says), fill in the
    /// `ClientToken` once, serialize once, then for each attempt wait for the action's rate
    /// limit, sign with current credentials, send, and decode; retry the failures that are
    /// safe and worth retrying (see [`crate::retry`]) with backoff, within the operation
    /// deadline.
    pub async fn call<O: Operation>(
        &self,
        mut request: O,
    ) -> Result<O::Output, SdkError<O::Error>> {
        match self.validation() {
            Validation::Strict => request.validate().map_err(SdkError::Validation)?,
            Validation::Warn => {
                if let Err(e) = request.validate() {
                    tracing::warn!(action = O::ACTION, violations = %e, "sending a request that breaks documented rules (validation: warn)");
                }
            }
            Validation::Off => {}
        }
        if let Some(slot) = request.idempotency_token()
            && slot.as_deref().is_none_or(str::is_empty)
        {
            *slot = Some(new_client_token());
        }
        let body = serde_json::to_vec(&request)
            .map_err(|e| SdkError::Request(RequestError::new(e.to_string())))?;
        let spec = ActionSpec {
            name: O::ACTION,
            idempotency: O::IDEMPOTENCY,
            rate_limit: O::RATE_LIMIT_PER_SECOND,
        };
        self.run::<O::Output, O::Error>(spec, body).await
    }

    /// Call any action by name with JSON parameters (the generic call of the official
    /// SDKs' `CommonClient`): signed, rate-limited, retried and decoded like the typed
    /// calls, returning the `Response` object (with its `RequestId`) or the service's
    /// error as [`UntypedError`].
    ///
    /// No client-side validation applies (there is no schema). Retries follow the same
    /// rules by the action's name: `Describe*`, `Check*` and `Inquiry*` are reads;
    /// parameters with a `ClientToken` key are writes retried with that token (an empty or
    /// `null` token is filled once); any other action is a write that is not repeated after
    /// an ambiguous failure. The rate limit is the client's default for unknown actions
    /// (or a [`RateLimitConfig::action`](crate::RateLimitConfig::action) override).
    ///
    /// ```no_run
    /// # async fn demo(client: gaap_client::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let reply = client
    ///     .call_action("DescribeProxies", serde_json::json!({"Limit": 1}))
    ///     .await?;
    /// println!("{} connections", reply["TotalCount"]);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn call_action(
        &self,
        action: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, SdkError<UntypedError>> {
        let invalid = |why: String| SdkError::Request(RequestError::new(why));
        if action.is_empty()
            || action.len() > 128
            || !action.bytes().all(|b| b.is_ascii_alphanumeric())
            || !action.starts_with(|c: char| c.is_ascii_uppercase())
        {
            return Err(invalid(format!(
                "invalid action name {:?} (expected an API action such as DescribeProxies)",
                crate::error::one_line(action, 160)
            )));
        }
        let mut params = match params {
            serde_json::Value::Object(map) => map,
            serde_json::Value::Null => serde_json::Map::new(),
            _ => return Err(invalid("the parameters must be a JSON object".to_owned())),
        };
        let idempotency = if gaap_model::READ_ACTION_PREFIXES
            .iter()
            .any(|prefix| action.starts_with(prefix))
        {
            Idempotency::ReadOnly
        } else if let Some(token) = params.get_mut("ClientToken") {
            if token.is_null() || token.as_str().is_some_and(str::is_empty) {
                *token = serde_json::Value::String(new_client_token());
            }
            Idempotency::ClientToken
        } else {
            Idempotency::NotIdempotent
        };
        let body = serde_json::to_vec(&params).map_err(|e| invalid(e.to_string()))?;
        let spec = ActionSpec {
            name: action,
            idempotency,
            rate_limit: None,
        };
        self.run::<serde_json::Value, UntypedError>(spec, body)
            .await
    }

    /// Run one call of `spec` with the serialized `body` under a span carrying a fresh
    /// trace ID.
    async fn run<T: DeserializeOwned, E: ServiceError>(
        &self,
        spec: ActionSpec<'_>,
        body: Vec<u8>,
    ) -> Result<T, SdkError<E>> {
        if let Some(why) = self.options.as_ref().and_then(|o| o.header_error.as_ref()) {
            return Err(SdkError::Request(RequestError::new(why.clone())));
        }
        // One ID for the whole call: every attempt sends it, errors and the span carry it.
        let trace_id = new_trace_id();
        let span = tracing::info_span!(
            "gaap.call",
            action = spec.name,
            trace_id = trace_id.as_str(),
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        self.call_with_retries::<T, E>(spec, &trace_id, body)
            .instrument(span)
            .await
    }

    /// Stream every item of a paginated action, fetching pages lazily.
    pub fn paginate<O: Paginated>(&self, request: O) -> Paginator<O> {
        Paginator::new(self.clone(), request)
    }

    async fn call_with_retries<T: DeserializeOwned, E: ServiceError>(
        &self,
        spec: ActionSpec<'_>,
        trace_id: &str,
        body: Vec<u8>,
    ) -> Result<T, SdkError<E>> {
        let started = Instant::now();
        let retry = self.retry_config();
        // A deadline too far to represent is no deadline.
        let deadline = self
            .operation_timeout()
            .and_then(|t| started.checked_add(t));
        // Once one attempt may have reached the server, a write may have been applied,
        // whatever later attempts end with.
        let mut ambiguous = false;
        let limit = self
            .inner
            .config
            .rate_limit
            .limit_for(spec.name, spec.rate_limit);
        let mut attempt = 1;
        let result = loop {
            tracing::Span::current().record("attempt", attempt);
            // Set when the request leaves for the server: a deadline that strikes before
            // (in the rate limiter or a credentials refresh) sent nothing.
            let sent = AtomicBool::new(false);
            let exchange = async {
                if let Some(limit) = limit {
                    self.inner.limiter.acquire(spec.name, limit).await;
                }
                self.attempt::<T, E>(spec.name, trace_id, &body, &sent)
                    .await
            };
            let outcome = match deadline {
                Some(deadline) => tokio::time::timeout_at(deadline, exchange)
                    .await
                    .unwrap_or_else(|_| {
                        Err(deadline_error(
                            started,
                            attempt,
                            trace_id,
                            sent.load(Ordering::Relaxed),
                        ))
                    }),
                None => exchange.await,
            };
            let mut failure = match outcome {
                Ok(output) => break Ok(output),
                Err(failure) => failure,
            };
            ambiguous |= failure.dispatch == Dispatch::Unknown;
            if ambiguous {
                failure.dispatch = Dispatch::Unknown;
            }
            let info = Failure {
                action: spec.name,
                idempotency: spec.idempotency,
                attempt,
                dispatch: failure.dispatch,
                transient: failure.transient,
                code: failure.error.code(),
            };
            let delay = retry.delay(attempt);
            let in_time = deadline.is_none_or(|d| {
                Instant::now()
                    .checked_add(delay)
                    .is_some_and(|wake| wake < d)
            });
            if attempt >= retry.attempts() || !in_time || !retry.should_retry(&info) {
                break Err(final_error(spec.idempotency, failure, attempt));
            }
            tracing::warn!(
                attempt,
                delay_ms = delay.as_millis() as u64,
                code = failure.error.code(),
                error = %failure.error,
                "retrying"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        };
        let span = tracing::Span::current();
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        if let Some(id) = result.as_ref().err().and_then(SdkError::request_id) {
            span.record("request_id", id);
        }
        match &result {
            Ok(_) => tracing::debug!("call succeeded"),
            Err(e) => tracing::debug!(error = %e, code = e.code(), "call failed"),
        }
        result
    }

    async fn attempt<T: DeserializeOwned, E: ServiceError>(
        &self,
        action: &str,
        trace_id: &str,
        body: &[u8],
        sent: &AtomicBool,
    ) -> Result<T, AttemptError<E>> {
        let fail = |error, (dispatch, transient)| AttemptError {
            error,
            dispatch,
            transient,
        };
        let not_sent = (Dispatch::NotSent, false);
        let credentials = self
            .inner
            .credentials
            .credentials()
            .await
            .map_err(|e| fail(SdkError::Credentials(e), not_sent))?;
        let headers = self
            .headers(action, trace_id, &credentials, body)
            .map_err(|e| fail(e, not_sent))?;
        sent.store(true, Ordering::Relaxed);
        let reply = self
            .inner
            .transport
            .post(headers, body.to_vec(), self.attempt_timeout())
            .await
            .map_err(|e| match e {
                ExchangeError::Transport(t) => {
                    let class = classify_transport(&t);
                    fail(SdkError::Transport(t.with_trace_id(trace_id)), class)
                }
                ExchangeError::Body(r) => {
                    let class = classify_response(&r);
                    fail(SdkError::Response(r.with_trace_id(trace_id)), class)
                }
            })?;
        match decode::<T>(reply.status, &reply.body) {
            Ok(Decoded::Success(output, request_id)) => {
                record_request_id(request_id.as_deref());
                Ok(output)
            }
            Ok(Decoded::ServiceError(mut meta)) => {
                record_request_id(meta.request_id.as_deref());
                let class = classify_code(&meta.code);
                meta.trace_id = Some(trace_id.to_owned());
                Err(fail(SdkError::Service(E::from(meta)), class))
            }
            Err(err) => {
                let class = classify_response(&err);
                Err(fail(SdkError::Response(err.with_trace_id(trace_id)), class))
            }
        }
    }

    /// The request headers, signed with `credentials` at the current time.
    fn headers<E>(
        &self,
        action: &str,
        trace_id: &str,
        credentials: &Credentials,
        body: &[u8],
    ) -> Result<HeaderMap, SdkError<E>> {
        let config = &self.inner.config;
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let signable = SignableRequest {
            method: "POST",
            query: "",
            content_type: JSON,
            host: config.endpoint.host(),
            payload: Payload::Bytes(body),
        };
        let authorization = self.inner.signer.authorization(
            &signable,
            credentials.secret_id(),
            credentials.secret_key(),
            timestamp,
        );
        let invalid = |what: &str| {
            SdkError::Credentials(CredentialsError::invalid_configuration(format!(
                "the {what} contains characters not allowed in an HTTP header"
            )))
        };
        let action = HeaderValue::from_str(action).map_err(|_| {
            SdkError::Request(RequestError::new(format!("invalid action name {action:?}")))
        })?;
        let extra = self
            .options
            .as_ref()
            .map_or(&[][..], |o| o.headers.as_slice());
        let mut headers = HeaderMap::with_capacity(12 + config.default_headers.len() + extra.len());
        // Extra headers first: the protocol headers below are inserted over them (the
        // builders already refuse reserved names).
        for (name, value) in config.default_headers.iter().chain(extra) {
            headers.insert(name.clone(), value.clone());
        }
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        headers.insert(name(header::ACTION), action);
        headers.insert(name(header::VERSION), HeaderValue::from_static(API_VERSION));
        headers.insert(name(header::TIMESTAMP), HeaderValue::from(timestamp));
        if let Some(region) = &config.region {
            // Checked by the builder.
            if let Ok(value) = HeaderValue::from_str(region) {
                headers.insert(name(header::REGION), value);
            }
        }
        headers.insert(
            name(header::LANGUAGE),
            HeaderValue::from_static(config.language.as_str()),
        );
        headers.insert(name(header::REQUEST_CLIENT), config.request_client.clone());
        if let Ok(value) = HeaderValue::from_str(trace_id) {
            headers.insert(name("x-tc-traceid"), value);
        }
        if let Some(token) = credentials.token() {
            let mut value = HeaderValue::from_str(token).map_err(|_| invalid("session token"))?;
            value.set_sensitive(true);
            headers.insert(name(header::TOKEN), value);
        }
        let mut value = HeaderValue::from_str(&authorization).map_err(|_| invalid("secret id"))?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
        Ok(headers)
    }
}

/// The failure of an attempt cut short by the operation deadline.
fn deadline_error<E>(
    started: Instant,
    attempt: u32,
    trace_id: &str,
    sent: bool,
) -> AttemptError<E> {
    let source = format!(
        "no reply within {:.1?} ({attempt} attempt{})",
        started.elapsed(),
        if attempt == 1 { "" } else { "s" }
    );
    AttemptError {
        error: SdkError::Transport(
            TransportError::new(TransportErrorKind::Deadline, Some(source.into()))
                .with_trace_id(trace_id),
        ),
        dispatch: if sent {
            Dispatch::Unknown
        } else {
            Dispatch::NotSent
        },
        transient: false,
    }
}

/// The error a call ends with: a write whose last attempt may have been applied is marked
/// [`SdkError::MaybeApplied`].
fn final_error<E>(
    idempotency: Idempotency,
    failure: AttemptError<E>,
    attempts: u32,
) -> SdkError<E> {
    if failure.dispatch == Dispatch::Unknown && !idempotency.is_read_only() {
        let by_token = attempts > 1 && idempotency == Idempotency::ClientToken;
        SdkError::MaybeApplied(Box::new(MaybeApplied::new(
            failure.error,
            attempts,
            by_token,
        )))
    } else {
        failure.error
    }
}

/// A random (version 4) UUID, as `X-TC-TraceId`: 8-4-4-4-12 lowercase hex digits.
fn new_trace_id() -> String {
    use rand::RngExt;
    let mut bytes: [u8; 16] = rand::rng().random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn record_request_id(request_id: Option<&str>) {
    if let Some(id) = request_id {
        tracing::Span::current().record("request_id", id);
    }
}

fn name(lowercase: &'static str) -> HeaderName {
    HeaderName::from_static(lowercase)
}
