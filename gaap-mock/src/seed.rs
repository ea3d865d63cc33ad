//! Seeding: calls applied to the account before the server answers anyone, so a test (or
//! the binary's `--seed FILE`) starts with resources already there.
//!
//! A seed is a JSON array of steps `{"Action": "CreateProxy", "Params": {...}, "As": "web"}`.
//! Each step is validated like a request and run against the store with no state delay (the
//! resources start in their final state). `"As"` names the ID the step created (the first
//! `...Id` output, or the first element of an `...Ids` list); a later parameter whose value
//! is exactly `"${web}"` is replaced by that ID.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::state::Store;

/// One seeded call.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedStep {
    /// The action, e.g. `CreateProxy`.
    pub action: String,
    /// Its parameters, as a request body.
    pub params: Value,
    /// The name under which later steps refer to the ID it creates.
    pub name: Option<String>,
}

/// Reads a seed file's text: a JSON array of `{"Action", "Params", "As"?}`.
pub fn parse(text: &str) -> Result<Vec<SeedStep>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let steps = value.as_array().ok_or("a seed is a JSON array of steps")?;
    steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let at = format!("step {}", i + 1);
            let action = step
                .get("Action")
                .and_then(Value::as_str)
                .ok_or(format!("{at}: `Action` must be a string"))?;
            let params = step
                .get("Params")
                .cloned()
                .unwrap_or(Value::Object(Default::default()));
            if !params.is_object() {
                return Err(format!("{at}: `Params` must be an object"));
            }
            let name = match step.get("As") {
                None => None,
                Some(Value::String(name)) => Some(name.clone()),
                Some(_) => return Err(format!("{at}: `As` must be a string")),
            };
            Ok(SeedStep {
                action: action.to_owned(),
                params,
                name,
            })
        })
        .collect()
}

fn substitute(value: &Value, names: &BTreeMap<String, String>) -> Result<Value, String> {
    Ok(match value {
        Value::String(s) => match s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
            Some(name) => Value::String(
                names
                    .get(name)
                    .cloned()
                    .ok_or(format!("`${{{name}}}` names no earlier step"))?,
            ),
            None => value.clone(),
        },
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute(v, names))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute(v, names)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// The ID a step created: its first `...Id` string output, the first element of an `...Ids`
/// list, or the first `...Id` of the first object of a list (`RealServerSet`).
fn created_id(out: &serde_json::Map<String, Value>) -> Option<String> {
    out.iter().find_map(|(key, value)| match value {
        Value::String(id) if key.ends_with("Id") => Some(id.clone()),
        Value::Array(ids) if key.ends_with("Ids") => {
            ids.first().and_then(Value::as_str).map(str::to_owned)
        }
        Value::Array(items) => match items.first() {
            Some(Value::Object(first)) => first
                .iter()
                .find_map(|(k, v)| v.as_str().filter(|_| k.ends_with("Id")).map(str::to_owned)),
            _ => None,
        },
        _ => None,
    })
}

/// Applies `steps` to `store` at `now` (with no state delay); the first failing step is an
/// error naming it.
pub(crate) fn apply(store: &mut Store, steps: &[SeedStep], now: i64) -> Result<(), String> {
    let mut names = BTreeMap::new();
    let delay = store.take_state_delay();
    let result = (|| {
        for (i, step) in steps.iter().enumerate() {
            let at = format!("seed step {} ({})", i + 1, step.action);
            let params = substitute(&step.params, &names).map_err(|e| format!("{at}: {e}"))?;
            match crate::validate::check(&step.action, &params) {
                None => return Err(format!("{at}: no such action")),
                Some(Err(e)) => return Err(format!("{at}: {}: {}", e.code, e.message)),
                Some(Ok(())) => {}
            }
            let request_id = format!("seed-{}", i + 1);
            let out = match store.handle(&step.action, &params, now, &request_id) {
                None => return Err(format!("{at}: the emulator keeps no state for it")),
                Some(Err(e)) => return Err(format!("{at}: {}: {}", e.code, e.message)),
                Some(Ok(out)) => out,
            };
            if let Some(name) = &step.name {
                let id = created_id(&out).ok_or(format!("{at}: `As` but it created no ID"))?;
                names.insert(name.clone(), id);
            }
        }
        Ok(())
    })();
    store.set_state_delay(delay);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SEED: &str = r#"[
        {"Action": "CreateProxy", "As": "web",
         "Params": {"ProjectId": 0, "ProxyName": "seeded", "AccessRegion": "Guangzhou",
                    "Bandwidth": 10, "Concurrent": 2, "RealServerRegion": "Beijing"}},
        {"Action": "CreateTCPListeners", "As": "tcp",
         "Params": {"ProxyId": "${web}", "ListenerName": "l", "Ports": [80],
                    "Scheduler": "rr", "HealthCheck": 0, "RealServerType": "IP"}}
    ]"#;

    #[test]
    fn a_seed_creates_resources_in_their_final_state_and_links_them() {
        let mut store = Store::with_state_delay(30);
        apply(&mut store, &parse(SEED).unwrap(), 1_700_000_000).unwrap();
        let out = store
            .handle("DescribeProxies", &json!({}), 1_700_000_000, "r")
            .unwrap()
            .unwrap();
        assert_eq!(out["ProxySet"][0]["Status"], json!("RUNNING"));
        assert_eq!(out["ProxySet"][0]["ProxyName"], json!("seeded"));
        let proxy_id = out["ProxySet"][0]["ProxyId"].clone();
        let listeners = store
            .handle(
                "DescribeTCPListeners",
                &json!({"ProxyId": proxy_id}),
                1_700_000_000,
                "r",
            )
            .unwrap()
            .unwrap();
        assert_eq!(listeners["TotalCount"], json!(1));
        assert_eq!(listeners["ListenerSet"][0]["ListenerStatus"], json!(0));
        // The delay still applies to what comes after.
        store.handle(
            "CloseProxies",
            &json!({"ProxyIds": [out["ProxySet"][0]["ProxyId"]]}),
            1_700_000_000,
            "r",
        );
        let out = store
            .handle("DescribeProxies", &json!({}), 1_700_000_000, "r")
            .unwrap()
            .unwrap();
        assert_eq!(out["ProxySet"][0]["Status"], json!("CLOSING"));
    }

    #[test]
    fn a_bad_seed_names_its_step() {
        let mut store = Store::default();
        let unknown = r#"[{"Action": "CreateTCPListeners", "Params": {"ProxyId": "${nope}"}}]"#;
        let e = apply(&mut store, &parse(unknown).unwrap(), 0).unwrap_err();
        assert!(e.contains("step 1") && e.contains("${nope}"), "{e}");
        let invalid = r#"[{"Action": "CreateProxy", "Params": {"Bogus": 1}}]"#;
        let e = apply(&mut store, &parse(invalid).unwrap(), 0).unwrap_err();
        assert!(e.contains("UnknownParameter"), "{e}");
        assert!(parse("{}").is_err());
        assert!(parse(r#"[{"Params": {}}]"#).is_err());
    }
}
