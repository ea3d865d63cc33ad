//! [`Client`]: validate, sign, send, retry, rate-limit and decode one call.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use gaap_model::{Operation, Paginated};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use tokio::time::Instant;
use tracing::Instrument;

use crate::config::{
    API_VERSION, CallOptions, ClientBuilder, Config, ConfigError, SERVICE, Validation,
};
use crate::credentials::{Credentials, CredentialsCache, CredentialsError};
use crate::envelope::{Decoded, decode};
use crate::error::{MaybeApplied, RequestError, SdkError, TransportError, TransportErrorKind};
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
/// `X-TC-RequestClient`.
const REQUEST_CLIENT: &str = concat!("gaap-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// The GAAP client. Cheap to clone: clones share the connection pool, the credentials cache
/// and the rate limiter.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Overrides of [`Client::with_options`].
    options: Option<Arc<CallOptions>>,
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

    pub(crate) fn from_config(config: Config) -> Result<Self, ConfigError> {
        let transport = Transport::new(
            config.endpoint.url(),
            config.connect_timeout,
            config.timeout,
            config.max_response_bytes,
        )?;
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
            Some(current) => CallOptions {
                validation: options.validation.or(current.validation),
                retry: options.retry.or_else(|| current.retry.clone()),
                retry_writes: options.retry_writes.or(current.retry_writes),
                operation_timeout: options.operation_timeout.or(current.operation_timeout),
            },
            None => options,
        };
        Self {
            inner: Arc::clone(&self.inner),
            options: Some(Arc::new(merged)),
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
        let span = tracing::info_span!(
            "gaap.call",
            action = O::ACTION,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        self.call_with_retries::<O>(body).instrument(span).await
    }

    /// Stream every item of a paginated action, fetching pages lazily.
    pub fn paginate<O: Paginated>(&self, request: O) -> Paginator<O> {
        Paginator::new(self.clone(), request)
    }

    async fn call_with_retries<O: Operation>(
        &self,
        body: Vec<u8>,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let started = Instant::now();
        let retry = self.retry_config();
        let deadline = self.operation_timeout().map(|t| started + t);
        let limit = self
            .inner
            .config
            .rate_limit
            .limit_for(O::ACTION, O::RATE_LIMIT_PER_SECOND);
        let mut attempt = 1;
        let result = loop {
            tracing::Span::current().record("attempt", attempt);
            let exchange = async {
                if let Some(limit) = limit {
                    self.inner.limiter.acquire(O::ACTION, limit).await;
                }
                self.attempt::<O>(&body).await
            };
            let outcome = match deadline {
                Some(deadline) => tokio::time::timeout_at(deadline, exchange)
                    .await
                    .unwrap_or_else(|_| Err(deadline_error(started, attempt))),
                None => exchange.await,
            };
            let failure = match outcome {
                Ok(output) => break Ok(output),
                Err(failure) => failure,
            };
            let info = Failure {
                action: O::ACTION,
                idempotency: O::IDEMPOTENCY,
                attempt,
                dispatch: failure.dispatch,
                transient: failure.transient,
                code: failure.error.code(),
            };
            let delay = retry.delay(attempt);
            let in_time = deadline.is_none_or(|d| Instant::now() + delay < d);
            if attempt >= retry.attempts() || !in_time || !retry.should_retry(&info) {
                break Err(final_error::<O>(failure, attempt));
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

    async fn attempt<O: Operation>(
        &self,
        body: &[u8],
    ) -> Result<O::Output, AttemptError<O::Error>> {
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
            .headers(O::ACTION, &credentials, body)
            .map_err(|e| fail(e, not_sent))?;
        let reply = self
            .inner
            .transport
            .post(headers, body.to_vec())
            .await
            .map_err(|e| match e {
                ExchangeError::Transport(t) => {
                    let class = classify_transport(&t);
                    fail(SdkError::Transport(t), class)
                }
                ExchangeError::Body(r) => {
                    let class = classify_response(&r);
                    fail(SdkError::Response(r), class)
                }
            })?;
        match decode::<O::Output>(reply.status, &reply.body) {
            Ok(Decoded::Success(output, request_id)) => {
                record_request_id(request_id.as_deref());
                Ok(output)
            }
            Ok(Decoded::ServiceError(meta)) => {
                record_request_id(meta.request_id.as_deref());
                let class = classify_code(&meta.code);
                Err(fail(SdkError::Service(O::Error::from(meta)), class))
            }
            Err(err) => {
                let class = classify_response(&err);
                Err(fail(SdkError::Response(err), class))
            }
        }
    }

    /// The request headers, signed with `credentials` at the current time.
    fn headers<E>(
        &self,
        action: &'static str,
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
        let mut headers = HeaderMap::with_capacity(10);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        headers.insert(name("x-tc-action"), action);
        headers.insert(name("x-tc-version"), HeaderValue::from_static(API_VERSION));
        headers.insert(name("x-tc-timestamp"), HeaderValue::from(timestamp));
        if let Some(region) = &config.region {
            // Checked by the builder.
            if let Ok(value) = HeaderValue::from_str(region) {
                headers.insert(name("x-tc-region"), value);
            }
        }
        headers.insert(
            name("x-tc-language"),
            HeaderValue::from_static(config.language.as_str()),
        );
        headers.insert(
            name("x-tc-requestclient"),
            HeaderValue::from_static(REQUEST_CLIENT),
        );
        if let Some(token) = credentials.token() {
            let mut value = HeaderValue::from_str(token).map_err(|_| invalid("session token"))?;
            value.set_sensitive(true);
            headers.insert(name("x-tc-token"), value);
        }
        let mut value = HeaderValue::from_str(&authorization).map_err(|_| invalid("secret id"))?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
        Ok(headers)
    }
}

/// The failure of an attempt cut short by the operation deadline.
fn deadline_error<E>(started: Instant, attempt: u32) -> AttemptError<E> {
    let source = format!(
        "no reply within {:.1?} ({attempt} attempt{})",
        started.elapsed(),
        if attempt == 1 { "" } else { "s" }
    );
    AttemptError {
        error: SdkError::Transport(TransportError::new(
            TransportErrorKind::Deadline,
            Some(source.into()),
        )),
        dispatch: Dispatch::Unknown,
        transient: false,
    }
}

/// The error a call ends with: a write whose last attempt may have been applied is marked
/// [`SdkError::MaybeApplied`].
fn final_error<O: Operation>(failure: AttemptError<O::Error>, attempts: u32) -> SdkError<O::Error> {
    if failure.dispatch == Dispatch::Unknown && !O::IDEMPOTENCY.is_read_only() {
        let by_token = attempts > 1 && O::IDEMPOTENCY == gaap_model::Idempotency::ClientToken;
        SdkError::MaybeApplied(Box::new(MaybeApplied::new(
            failure.error,
            attempts,
            by_token,
        )))
    } else {
        failure.error
    }
}

fn record_request_id(request_id: Option<&str>) {
    if let Some(id) = request_id {
        tracing::Span::current().record("request_id", id);
    }
}

fn name(lowercase: &'static str) -> HeaderName {
    HeaderName::from_static(lowercase)
}
