//! [`Client`]: validate, sign, send, retry, rate-limit and decode one call.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use gaap_model::{Operation, Paginated};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use tokio::time::Instant;
use tracing::Instrument;

use crate::config::{API_VERSION, ClientBuilder, Config, ConfigError, SERVICE};
use crate::credentials::{Credentials, CredentialsCache, CredentialsError};
use crate::envelope::{Decoded, decode};
use crate::error::{RequestError, SdkError, chain};
use crate::paginator::Paginator;
use crate::rate_limit::RateLimiter;
use crate::retry::{
    is_retryable_code, is_retryable_response, is_retryable_transport, new_client_token,
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
}

#[derive(Debug)]
struct Inner {
    config: Config,
    transport: Transport,
    credentials: CredentialsCache,
    signer: Signer,
    limiter: RateLimiter,
}

/// Why one attempt failed, and whether another attempt may succeed.
struct AttemptError<E> {
    error: SdkError<E>,
    retryable: bool,
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
        })
    }

    /// Call one action: validate, fill in the `ClientToken` once, serialize once, then for
    /// each attempt wait for the action's rate limit, sign with current credentials, send,
    /// and decode; retry retryable failures with backoff.
    pub async fn call<O: Operation>(
        &self,
        mut request: O,
    ) -> Result<O::Output, SdkError<O::Error>> {
        request.validate().map_err(SdkError::Validation)?;
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
        let retry = &self.inner.config.retry;
        let limit = self
            .inner
            .config
            .rate_limit
            .limit_for(O::ACTION, O::RATE_LIMIT_PER_SECOND);
        let mut attempt = 1;
        let result = loop {
            tracing::Span::current().record("attempt", attempt);
            if let Some(limit) = limit {
                self.inner.limiter.acquire(O::ACTION, limit).await;
            }
            match self.attempt::<O>(&body).await {
                Ok(output) => break Ok(output),
                Err(failure) => {
                    if !failure.retryable || attempt >= retry.attempts() {
                        break Err(failure.error);
                    }
                    let delay = retry.delay(attempt);
                    tracing::warn!(
                        attempt,
                        delay_ms = delay.as_millis() as u64,
                        code = failure.error.code(),
                        error = %chain(&failure.error),
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
            }
        };
        let span = tracing::Span::current();
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        if let Some(id) = result.as_ref().err().and_then(SdkError::request_id) {
            span.record("request_id", id);
        }
        match &result {
            Ok(_) => tracing::debug!("call succeeded"),
            Err(e) => tracing::debug!(error = %chain(e), code = e.code(), "call failed"),
        }
        result
    }

    async fn attempt<O: Operation>(
        &self,
        body: &[u8],
    ) -> Result<O::Output, AttemptError<O::Error>> {
        let fail = |error, retryable| AttemptError { error, retryable };
        let credentials = self
            .inner
            .credentials
            .credentials()
            .await
            .map_err(|e| fail(SdkError::Credentials(e), false))?;
        let headers = self
            .headers(O::ACTION, &credentials, body)
            .map_err(|e| fail(e, false))?;
        let reply = self
            .inner
            .transport
            .post(headers, body.to_vec())
            .await
            .map_err(|e| match e {
                ExchangeError::Transport(t) => {
                    let retryable = is_retryable_transport(&t);
                    fail(SdkError::Transport(t), retryable)
                }
                ExchangeError::Body(r) => {
                    let retryable = is_retryable_response(&r);
                    fail(SdkError::Response(r), retryable)
                }
            })?;
        match decode::<O::Output>(reply.status, &reply.body) {
            Ok(Decoded::Success(output, request_id)) => {
                record_request_id(request_id.as_deref());
                Ok(output)
            }
            Ok(Decoded::ServiceError(meta)) => {
                record_request_id(meta.request_id.as_deref());
                let retryable = is_retryable_code(&meta.code);
                Err(fail(SdkError::Service(O::Error::from(meta)), retryable))
            }
            Err(err) => {
                let retryable = is_retryable_response(&err);
                Err(fail(SdkError::Response(err), retryable))
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

fn record_request_id(request_id: Option<&str>) {
    if let Some(id) = request_id {
        tracing::Span::current().record("request_id", id);
    }
}

fn name(lowercase: &'static str) -> HeaderName {
    HeaderName::from_static(lowercase)
}
