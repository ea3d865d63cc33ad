//! The common parameters: what every request carries besides the action's own input.
//!
//! A signature v1 request (`GET` query or `POST` form) sends them as parameters next to the
//! business ones ([`COMMON_PARAMS`]); a TC3 request sends them as `X-TC-*` headers
//! ([`header`]). The doc pages' query-string examples show them too, and the parser drops
//! them from an action's input.

/// `Action`: the action's name. v1 parameter (read by the emulator); TC3 header
/// [`header::ACTION`].
pub const ACTION: &str = "Action";
/// `Version`: the API version (`2018-05-29`). v1 parameter (read by the emulator); TC3
/// header [`header::VERSION`].
pub const VERSION: &str = "Version";
/// `Region`: the region; GAAP needs none. v1 parameter; TC3 header [`header::REGION`].
pub const REGION: &str = "Region";
/// `Timestamp`: Unix time of the request in seconds. v1 parameter (checked by the
/// emulator's v1 verifier); TC3 header [`header::TIMESTAMP`].
pub const TIMESTAMP: &str = "Timestamp";
/// `Nonce`: a random positive integer. v1 only (the emulator's v1 verifier refuses a replay).
pub const NONCE: &str = "Nonce";
/// `SecretId`: the signing key's id. v1 only (TC3 puts it in `Authorization`).
pub const SECRET_ID: &str = "SecretId";
/// `Signature`: the v1 signature; excluded from the text it signs.
pub const SIGNATURE: &str = "Signature";
/// `SignatureMethod`: `HmacSHA1` (the default) or `HmacSHA256`. v1 only.
pub const SIGNATURE_METHOD: &str = "SignatureMethod";
/// `Token`: the session token of temporary credentials. v1 parameter (checked by the
/// emulator); TC3 header [`header::TOKEN`] (sent by the client and its STS provider).
pub const TOKEN: &str = "Token";
/// `Language`: the language of service messages (`en-US`, `zh-CN`). v1 parameter; TC3
/// header [`header::LANGUAGE`] (sent by the client).
pub const LANGUAGE: &str = "Language";
/// `RequestClient`: the SDK's name and version. v1 parameter; TC3 header
/// [`header::REQUEST_CLIENT`] (sent by the client and its STS provider).
pub const REQUEST_CLIENT: &str = "RequestClient";

/// Every common parameter, as a v1 request (and a doc page's query-string example) names
/// it: the emulator skips these when folding a v1 request's parameters into the action's
/// input, and the doc-page parser drops them from an example's input.
pub const COMMON_PARAMS: &[&str] = &[
    ACTION,
    VERSION,
    REGION,
    TIMESTAMP,
    NONCE,
    SECRET_ID,
    SIGNATURE,
    SIGNATURE_METHOD,
    TOKEN,
    LANGUAGE,
    REQUEST_CLIENT,
];

/// Whether `name` is one of the [`COMMON_PARAMS`] (exactly, case-sensitive).
pub fn is_common(name: &str) -> bool {
    COMMON_PARAMS.contains(&name)
}

/// The `X-TC-*` headers carrying the common parameters of a TC3 request, lowercase (as
/// `http::HeaderName::from_static` wants them; header names compare case-insensitively).
pub mod header {
    /// `X-TC-Action` ([`super::ACTION`]): sent by the client and its STS provider, read by
    /// the emulator.
    pub const ACTION: &str = "x-tc-action";
    /// `X-TC-Version` ([`super::VERSION`]): sent by the client and its STS provider, read by
    /// the emulator.
    pub const VERSION: &str = "x-tc-version";
    /// `X-TC-Region` ([`super::REGION`]): sent by the client when a region is configured,
    /// and by its STS provider.
    pub const REGION: &str = "x-tc-region";
    /// `X-TC-Timestamp` ([`super::TIMESTAMP`]): sent by the client and its STS provider
    /// (the emulator's TC3 verifier names it itself).
    pub const TIMESTAMP: &str = "x-tc-timestamp";
    /// `X-TC-Token` ([`super::TOKEN`]): sent by the client with temporary credentials,
    /// checked by the emulator.
    pub const TOKEN: &str = "x-tc-token";
    /// `X-TC-Language` ([`super::LANGUAGE`]): sent by the client.
    pub const LANGUAGE: &str = "x-tc-language";
    /// `X-TC-RequestClient` ([`super::REQUEST_CLIENT`]): sent by the client and its STS
    /// provider.
    pub const REQUEST_CLIENT: &str = "x-tc-requestclient";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_the_prefixed_lowercase_parameter_names() {
        for (param, header) in [
            (ACTION, header::ACTION),
            (VERSION, header::VERSION),
            (REGION, header::REGION),
            (TIMESTAMP, header::TIMESTAMP),
            (TOKEN, header::TOKEN),
            (LANGUAGE, header::LANGUAGE),
            (REQUEST_CLIENT, header::REQUEST_CLIENT),
        ] {
            assert!(is_common(param));
            assert_eq!(header, format!("x-tc-{}", param.to_ascii_lowercase()));
        }
        assert!(!is_common("ProxyIds"));
        assert!(!is_common("action"));
        assert_eq!(COMMON_PARAMS.len(), 11);
    }
}
