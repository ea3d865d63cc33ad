//! Pinned enum names: public type names must not move when the sharing analysis changes
//! (a new page, a new value). The lock file (`api-specs/enum-names.lock`, written by
//! `cargo xtask regenerate` like `Cargo.lock`) maps each enum-typed parameter to its Rust
//! type name. A pinned parameter keeps its name; only parameters new to the lock get names
//! from the rules; an entry changes only by a reviewed edit of the file.

use std::collections::BTreeMap;

use crate::context::Owner;

/// The header of the lock file.
const HEADER: &str = "\
# Enum type names and variant names, pinned. `owner = TypeName`: one enum-typed parameter
# per line; `variant:TypeName.wire = Variant`: one documented value per line.
# Written by `cargo xtask regenerate`: new parameters and values are added, named by the
# rules; existing lines are kept. Renaming a public enum or variant is an edit of this
# file, reviewed like any API change (a better name than the rules gave is one, too).
";

/// Parameter (`input:Action.Param`, `output:Action.Param`, `struct:Struct.Field`) to
/// enum type name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnumNames(BTreeMap<String, String>);

impl EnumNames {
    /// Reads a lock file's text; `Err` names the line that is not `key = Name`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut names = BTreeMap::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, name)) = line.rsplit_once('=') else {
                return Err(format!("line {}: expected `owner = TypeName`", index + 1));
            };
            let (key, name) = (key.trim(), name.trim());
            if key.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) || name.is_empty()
            {
                return Err(format!("line {}: expected `owner = TypeName`", index + 1));
            }
            names.insert(key.to_owned(), name.to_owned());
        }
        Ok(EnumNames(names))
    }

    /// The lock file's text, sorted.
    pub fn render(&self) -> String {
        let mut out = HEADER.to_owned();
        for (key, name) in &self.0 {
            out.push_str(&format!("{key} = {name}\n"));
        }
        out
    }

    /// The pinned name of a parameter.
    pub(crate) fn get(&self, owner: &Owner, param: &str) -> Option<&str> {
        self.0.get(&key(owner, param)).map(String::as_str)
    }

    /// Pins a parameter's name.
    pub(crate) fn insert(&mut self, owner: &Owner, param: &str, name: &str) {
        self.0.insert(key(owner, param), name.to_owned());
    }

    /// Every pinned name.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(|(k, _)| !k.starts_with(VARIANT))
            .map(|(_, v)| v.as_str())
    }

    /// The pinned variant name of `wire` in enum `ty`.
    pub(crate) fn variant(&self, ty: &str, wire: &str) -> Option<&str> {
        self.0
            .get(&format!("{VARIANT}{ty}.{wire}"))
            .map(String::as_str)
    }

    pub(crate) fn insert_variant(&mut self, ty: &str, wire: &str, variant: &str) {
        self.0
            .insert(format!("{VARIANT}{ty}.{wire}"), variant.to_owned());
    }
}

const VARIANT: &str = "variant:";

fn key(owner: &Owner, param: &str) -> String {
    match owner {
        Owner::Input(action) => format!("input:{action}.{param}"),
        Owner::Output(action) => format!("output:{action}.{param}"),
        Owner::Struct(name) => format!("struct:{name}.{param}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bad_lines() {
        let mut names = EnumNames::default();
        names.insert(
            &Owner::Input("DestroyProxies".into()),
            "Force",
            "DestroyProxiesForce",
        );
        let text = names.render();
        assert!(text.contains("input:DestroyProxies.Force = DestroyProxiesForce\n"));
        assert_eq!(EnumNames::parse(&text), Ok(names));
        assert!(EnumNames::parse("input:A.B DestroyProxiesForce").is_err());
        assert!(EnumNames::parse("input:A.B = Not A Name").is_err());
    }
}
