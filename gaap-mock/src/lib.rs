//! A local emulator of Tencent Cloud GAAP (API 2018-05-29) that real SDKs can talk to.
//!
//! It speaks Tencent Cloud API 3.0 (`POST /` JSON and `GET` query style with TC3-HMAC-SHA256;
//! `GET` query and `POST` form with signature v1),
//! rejects what the service rejects with the service's error codes, keeps an in-memory model
//! of connections, groups, listeners and origin servers, answers every other action with its
//! page's example, and lets tests inject faults.
//!
//! ```no_run
//! # async fn demo() -> Result<(), gaap_mock::StartError> {
//! use gaap_mock::{Fault, MockServer};
//! let server = MockServer::start().await?;
//! server.faults().set("DescribeProxies", Fault::Http(503).times(2));
//! println!("GAAP emulator at {}", server.url());
//! # Ok(()) }
//! ```

mod clock;
mod credentials;
mod envelope;
mod faults;
mod handler;
mod params;
mod rate_limit;
mod replay;
pub mod seed;
mod server;
pub mod signature;
pub mod signature_v1;
mod spec;
mod state;
mod validate;

pub use clock::{Clock, utc_date};
pub use credentials::{DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
pub use faults::{Fault, FaultRule, Faults};
pub use server::{MockServer, MockServerBuilder, StartError, StateSnapshot};
pub use spec::DEFAULT_RATE_LIMIT;
pub use state::STATEFUL_ACTIONS;
