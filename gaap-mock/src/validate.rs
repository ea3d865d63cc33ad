//! The one place requests are checked against the generated model: required parameters,
//! unknown parameters, types, ranges, enums and cross-parameter constraints.
//!
//! The checks themselves are generated into `gaap_model::server` from the IR; this module
//! only maps the model's verdict onto the emulator's error type.

use serde_json::Value;

use crate::envelope::ApiError;

/// Check `params` for `action`: `None` when the model has no such action, otherwise the
/// model's verdict with its error code (`MissingParameter`, `UnknownParameter`,
/// `InvalidParameterValue` or `InvalidParameter`).
pub fn check(action: &str, params: &Value) -> Option<Result<(), ApiError>> {
    gaap_model::server::check_request(action, params).map(|verdict| {
        verdict.map_err(|rejection| ApiError::new(rejection.code, rejection.message))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_the_model_verdicts() {
        assert!(check("NoSuchAction", &json!({})).is_none());
        let ok = json!({"ProxyId": "link-1", "ListenerIds": ["l-1"], "Force": 1});
        assert_eq!(check("DeleteListeners", &ok), Some(Ok(())));
        let missing = check("DeleteListeners", &json!({"ProxyId": "link-1"}));
        assert_eq!(missing.unwrap().unwrap_err().code, "MissingParameter");
        let unknown = check(
            "DeleteListeners",
            &json!({"ListenerIds": ["l"], "Force": 1, "Bogus": 1}),
        );
        assert_eq!(unknown.unwrap().unwrap_err().code, "UnknownParameter");
        let range = json!({"ProxyId": "link-1", "ListenerName": "l", "Ports": [80], "Scheduler": "rr",
                           "HealthCheck": 1, "RealServerType": "IP", "DelayLoop": 1});
        assert_eq!(
            check("CreateTCPListeners", &range)
                .unwrap()
                .unwrap_err()
                .code,
            "InvalidParameterValue"
        );
    }
}
