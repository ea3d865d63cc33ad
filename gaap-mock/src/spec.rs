//! What the emulator knows from the IR (`api-specs/gaap.json`): the API version, the
//! actions, their per-second rate limits and their pages' example responses.
//!
//! The IR is embedded in the binary and parsed once; the fields read here are the IR
//! contract of `design.md` (`version`, `actions[].name`, `.rate_limit_per_second`,
//! `.examples[].response`, `.examples[].request`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

/// The IR document embedded at build time.
const EMBEDDED_IR: &str = include_str!("../../api-specs/gaap.json");

/// The documented default when a page states no limit: 20 requests per second per action.
pub const DEFAULT_RATE_LIMIT: u32 = 20;

/// One action as the emulator sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionSpec {
    /// Requests per second the page allows.
    pub rate_limit_per_second: u32,
    /// The first example's request parameters, when the page has an example.
    pub example_request: Option<Value>,
    /// The first example's `Response` object (its `RequestId` still the page's).
    pub example_response: Option<Value>,
    /// Output fields the page marks as replaced by another ("an old parameter, please
    /// switch to ProxySet"), e.g. `DescribeProxies`' `InstanceSet`.
    pub replaced_outputs: Vec<String>,
}

/// The API surface read from the IR.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The API version, e.g. `2018-05-29`.
    pub version: String,
    /// Every action by name.
    pub actions: BTreeMap<String, ActionSpec>,
}

/// The IR could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// Not JSON.
    #[error("the IR is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// JSON, but a contract field is missing or has the wrong shape.
    #[error("the IR has no valid `{0}`")]
    Shape(&'static str),
}

impl Spec {
    /// The IR embedded in this build, parsed on first use.
    pub fn embedded() -> Result<&'static Spec, &'static SpecError> {
        static SPEC: OnceLock<Result<Spec, SpecError>> = OnceLock::new();
        SPEC.get_or_init(|| Spec::parse(EMBEDDED_IR)).as_ref()
    }

    /// Read an IR document.
    pub fn parse(ir_json: &str) -> Result<Spec, SpecError> {
        let ir: Value = serde_json::from_str(ir_json)?;
        let version = ir
            .get("version")
            .and_then(Value::as_str)
            .ok_or(SpecError::Shape("version"))?
            .to_owned();
        let list = ir
            .get("actions")
            .and_then(Value::as_array)
            .ok_or(SpecError::Shape("actions"))?;
        let mut actions = BTreeMap::new();
        for action in list {
            let name = action
                .get("name")
                .and_then(Value::as_str)
                .ok_or(SpecError::Shape("actions[].name"))?;
            let rate_limit_per_second = action
                .get("rate_limit_per_second")
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(DEFAULT_RATE_LIMIT);
            let first_example = action
                .get("examples")
                .and_then(Value::as_array)
                .and_then(|examples| examples.first());
            let example_request = first_example.and_then(|e| e.get("request")).cloned();
            let example_response = first_example
                .and_then(|e| e.get("response"))
                .filter(|r| r.is_object())
                .cloned();
            let replaced_outputs = action
                .get("output")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|p| {
                    p.pointer("/constraints/deprecated")
                        .is_some_and(|d| !d.is_null())
                })
                .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect();
            actions.insert(
                name.to_owned(),
                ActionSpec {
                    rate_limit_per_second,
                    example_request,
                    example_response,
                    replaced_outputs,
                },
            );
        }
        Ok(Spec { version, actions })
    }

    /// The action called `name`, if the API has it.
    pub fn action(&self, name: &str) -> Option<&ActionSpec> {
        self.actions.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_contract_fields() {
        let spec = Spec::parse(
            r#"{"version":"2018-05-29","actions":[
                {"name":"A","rate_limit_per_second":5,"examples":[{"title":"t","request":{"X":1},"response":{"Y":2,"RequestId":"r"}}]},
                {"name":"B","rate_limit_per_second":null,"examples":[]}]}"#,
        )
        .unwrap();
        assert_eq!(spec.version, "2018-05-29");
        let a = spec.action("A").unwrap();
        assert_eq!(a.rate_limit_per_second, 5);
        assert_eq!(a.example_response.as_ref().unwrap()["Y"], 2);
        assert_eq!(
            spec.action("B").unwrap().rate_limit_per_second,
            DEFAULT_RATE_LIMIT
        );
        assert!(spec.action("C").is_none());
        assert!(matches!(
            Spec::parse("{}"),
            Err(SpecError::Shape("version"))
        ));
    }

    #[test]
    fn the_embedded_ir_parses_and_lists_every_action() {
        let spec = Spec::embedded().unwrap();
        assert_eq!(spec.version, "2018-05-29");
        assert_eq!(spec.actions.len(), 102);
        assert!(spec.action("CreateTCPListeners").is_some());
        assert!(
            spec.action("DescribeTaskStatus").is_some(),
            "a mainland-only action"
        );
    }
}
