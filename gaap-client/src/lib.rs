//! Async client for Tencent Cloud GAAP.
