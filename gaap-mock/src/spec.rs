//! What the emulator knows from the IR (`api-specs/gaap.json`): the API version, the
//! actions, their per-second rate limits and their pages' example responses.
//!
//! The IR is embedded in the binary and parsed once, typed through the `gaap-ir` crate
//! (the same types `xtask` writes it with), so a renamed IR field fails to compile here.

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
    /// Not JSON, or JSON that does not have the IR's shape (`gaap_ir::Ir`).
    #[error("the IR is not a valid IR document: {0}")]
    Json(#[from] serde_json::Error),
}

impl Spec {
    /// The IR embedded in this build, parsed on first use.
    pub fn embedded() -> Result<&'static Spec, &'static SpecError> {
        static SPEC: OnceLock<Result<Spec, SpecError>> = OnceLock::new();
        SPEC.get_or_init(|| Spec::parse(EMBEDDED_IR)).as_ref()
    }

    /// Read an IR document (typed, through [`gaap_ir::Ir`]).
    pub fn parse(ir_json: &str) -> Result<Spec, SpecError> {
        let ir: gaap_ir::Ir = serde_json::from_str(ir_json)?;
        Ok(Spec::from_ir(&ir))
    }

    /// What the emulator needs of `ir`.
    pub fn from_ir(ir: &gaap_ir::Ir) -> Spec {
        let actions = ir
            .actions
            .iter()
            .map(|action| {
                let first_example = action.examples.first();
                let spec = ActionSpec {
                    rate_limit_per_second: action
                        .rate_limit_per_second
                        .unwrap_or(DEFAULT_RATE_LIMIT),
                    example_request: first_example.map(|e| e.request.clone()),
                    example_response: first_example
                        .map(|e| e.response.clone())
                        .filter(Value::is_object),
                    replaced_outputs: action
                        .output
                        .iter()
                        .filter(|p| p.constraints.deprecated.is_some())
                        .map(|p| p.name.clone())
                        .collect(),
                };
                (action.name.clone(), spec)
            })
            .collect();
        Spec {
            version: ir.version.clone(),
            actions,
        }
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
        let action = |name: &str, limit: &str, examples: &str| {
            format!(
                r#"{{"name":"{name}","description":"","rate_limit_per_second":{limit},"input":[],"output":[],"errors":[],"examples":{examples},"source":"{name}.md"}}"#
            )
        };
        let ir = format!(
            r#"{{"service":"gaap","version":"2018-05-29","domain":"gaap.tencentcloudapi.com","structs":[],"common_errors":[],"actions":[{},{}]}}"#,
            action(
                "A",
                "5",
                r#"[{"title":"t","request":{"X":1},"response":{"Y":2,"RequestId":"r"}}]"#
            ),
            action("B", "null", "[]"),
        );
        let spec = Spec::parse(&ir).unwrap();
        assert_eq!(spec.version, "2018-05-29");
        let a = spec.action("A").unwrap();
        assert_eq!(a.rate_limit_per_second, 5);
        assert_eq!(a.example_response.as_ref().unwrap()["Y"], 2);
        assert_eq!(
            spec.action("B").unwrap().rate_limit_per_second,
            DEFAULT_RATE_LIMIT
        );
        assert!(spec.action("C").is_none());
        assert!(matches!(Spec::parse("{}"), Err(SpecError::Json(_))));
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
