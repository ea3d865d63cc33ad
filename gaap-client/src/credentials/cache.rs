//! [`CredentialsCache`]: reuse credentials until shortly before they expire.
//!
//! Expiry is tracked on tokio's clock (converted from the credentials' wall-clock expiry
//! when they are loaded), so refreshes can be tested under `tokio::time::pause`. Only one
//! refresh runs at a time; callers arriving meanwhile wait for it. If a refresh fails while
//! the cached credentials are still valid, the cached ones are used.
//!
//! A failed load is not repeated on every call: its error is returned again, without asking
//! the provider (no new metadata-service probe), until a backoff elapses (1 s, doubling up
//! to 60 s while the provider keeps failing).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::future::BoxFuture;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::{Credentials, CredentialsError, ProvideCredentials};

/// How long before expiry temporary credentials are refreshed, by default.
pub const DEFAULT_REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(300);
/// How long a failed load is remembered at first; it doubles while loads keep failing.
pub const FAILURE_BACKOFF: Duration = Duration::from_secs(1);
/// The longest a failed load is remembered.
pub const MAX_FAILURE_BACKOFF: Duration = Duration::from_secs(60);

/// Caches the credentials of another provider.
#[derive(Clone)]
pub struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    refresh_before: Duration,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    failed: Option<Failed>,
}

/// The last failed load, returned again until `retry_at`.
struct Failed {
    error: CredentialsError,
    retry_at: Instant,
    backoff: Duration,
}

struct Cached {
    credentials: Credentials,
    /// When to fetch new credentials (`None`: never, they do not expire).
    refresh_at: Option<Instant>,
    /// When they stop being valid.
    expires_at: Option<Instant>,
}

impl std::fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("provider", &self.provider)
            .field("refresh_before", &self.refresh_before)
            .finish_non_exhaustive()
    }
}

impl CredentialsCache {
    /// Cache `provider`'s credentials, refreshing 5 minutes before expiry.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self::from_arc(Arc::new(provider))
    }

    /// Cache a shared provider.
    pub fn from_arc(provider: Arc<dyn ProvideCredentials>) -> Self {
        Self {
            provider,
            refresh_before: DEFAULT_REFRESH_BEFORE_EXPIRY,
            state: Arc::new(Mutex::new(State::default())),
        }
    }

    /// Refresh this long before expiry (at most half of the remaining lifetime is used,
    /// so short-lived credentials are not refetched on every call).
    pub fn refresh_before_expiry(mut self, window: Duration) -> Self {
        self.refresh_before = window;
        self
    }

    /// Cache `credentials` as if the provider had just returned them (when nothing is
    /// cached yet): `Client::from_env` seeds the cache with what its probe found.
    pub(crate) fn seed(&self, credentials: Credentials) {
        if let Ok(mut state) = self.state.try_lock()
            && state.cached.is_none()
        {
            state.cached = Some(self.cached(credentials));
        }
    }

    fn cached(&self, credentials: Credentials) -> Cached {
        let now = Instant::now();
        let (refresh_at, expires_at) = match credentials.expires_at() {
            Some(expiry) => {
                let remaining = expiry
                    .duration_since(SystemTime::now())
                    .unwrap_or(Duration::ZERO);
                let early = self.refresh_before.min(remaining / 2);
                (Some(now + (remaining - early)), Some(now + remaining))
            }
            None => (None, None),
        };
        tracing::debug!(
            provider = credentials.provider(),
            expires_in_s = expires_at.map(|at| at.saturating_duration_since(now).as_secs()),
            "loaded credentials"
        );
        Cached {
            credentials,
            refresh_at,
            expires_at,
        }
    }

    /// Cached credentials, fetching new ones when none are cached or the refresh time passed.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut state = self.state.lock().await;
        let now = Instant::now();
        if let Some(cached) = state.cached.as_ref()
            && cached.refresh_at.is_none_or(|at| now < at)
        {
            return Ok(cached.credentials.clone());
        }
        let usable = |state: &State| {
            state
                .cached
                .as_ref()
                .filter(|c| c.expires_at.is_some_and(|at| now < at))
                .map(|c| c.credentials.clone())
        };
        if let Some(failed) = state.failed.as_ref()
            && now < failed.retry_at
        {
            return match usable(&state) {
                Some(credentials) => Ok(credentials),
                None => Err(failed.error.clone()),
            };
        }
        match self.provider.provide_credentials().await {
            Ok(credentials) => {
                state.failed = None;
                state.cached = Some(self.cached(credentials.clone()));
                Ok(credentials)
            }
            Err(err) => {
                let backoff = state.failed.as_ref().map_or(FAILURE_BACKOFF, |f| {
                    (f.backoff * 2).min(MAX_FAILURE_BACKOFF)
                });
                state.failed = Some(Failed {
                    error: err.clone(),
                    retry_at: Instant::now() + backoff,
                    backoff,
                });
                match usable(&state) {
                    Some(credentials) => {
                        tracing::warn!(error = %err, "credentials refresh failed; using the cached ones until they expire");
                        Ok(credentials)
                    }
                    None => Err(err),
                }
            }
        }
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// Hands out credentials numbered by call, each valid for `lifetime`.
    #[derive(Debug)]
    struct Counting {
        calls: AtomicU32,
        lifetime: Option<Duration>,
        fail_after: u32,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                if n > self.fail_after {
                    return Err(CredentialsError::provider_error("down"));
                }
                let expires = self.lifetime.map(|l| SystemTime::now() + l);
                Ok(Credentials::temporary(
                    format!("id{n}"),
                    "key",
                    "token",
                    expires,
                ))
            })
        }
    }

    fn counting(lifetime: Option<Duration>, fail_after: u32) -> Arc<Counting> {
        Arc::new(Counting {
            calls: AtomicU32::new(0),
            lifetime,
            fail_after,
        })
    }

    #[tokio::test(start_paused = true)]
    async fn refreshes_before_expiry() {
        let provider = counting(Some(Duration::from_secs(3600)), u32::MAX);
        let cache = CredentialsCache::from_arc(provider.clone())
            .refresh_before_expiry(Duration::from_secs(300));
        assert_eq!(cache.credentials().await.unwrap().secret_id(), "id1");
        tokio::time::advance(Duration::from_secs(3290)).await;
        assert_eq!(cache.credentials().await.unwrap().secret_id(), "id1");
        // 5 minutes before expiry (and still before it), new credentials are fetched.
        tokio::time::advance(Duration::from_secs(15)).await;
        assert_eq!(cache.credentials().await.unwrap().secret_id(), "id2");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn credentials_without_expiry_are_fetched_once() {
        let provider = counting(None, u32::MAX);
        let cache = CredentialsCache::from_arc(provider.clone());
        for _ in 0..3 {
            cache.credentials().await.unwrap();
            tokio::time::advance(Duration::from_secs(86_400)).await;
        }
        assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn failed_refresh_keeps_valid_credentials_until_expiry() {
        let provider = counting(Some(Duration::from_secs(600)), 1);
        let cache = CredentialsCache::from_arc(provider.clone());
        assert_eq!(cache.credentials().await.unwrap().secret_id(), "id1");
        tokio::time::advance(Duration::from_secs(500)).await;
        assert_eq!(cache.credentials().await.unwrap().secret_id(), "id1");
        tokio::time::advance(Duration::from_secs(101)).await;
        assert!(cache.credentials().await.is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_load_is_not_repeated_until_the_backoff_elapses() {
        let provider = counting(None, 0);
        let cache = CredentialsCache::from_arc(provider.clone());
        for _ in 0..5 {
            assert!(cache.credentials().await.is_err());
        }
        assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
        tokio::time::advance(FAILURE_BACKOFF).await;
        assert!(cache.credentials().await.is_err());
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
        // The backoff doubled: 1 s later the failure is still remembered.
        tokio::time::advance(FAILURE_BACKOFF).await;
        assert!(cache.credentials().await.is_err());
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
        tokio::time::advance(FAILURE_BACKOFF).await;
        assert!(cache.credentials().await.is_err());
        assert_eq!(provider.calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_fetch() {
        let provider = counting(Some(Duration::from_secs(3600)), u32::MAX);
        let cache = CredentialsCache::from_arc(provider.clone());
        let results = futures_util::future::join_all((0..10).map(|_| cache.credentials())).await;
        assert!(
            results
                .iter()
                .all(|r| r.as_ref().unwrap().secret_id() == "id1")
        );
        assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    }
}
