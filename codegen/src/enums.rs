//! Enums for documented value sets: `#[non_exhaustive]`, an `Unknown(..)` variant so a new
//! server value never breaks decoding, `as_str()`/`as_i64()`, `values()`, infallible
//! conversions, and serde as the wire value.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::context::{EnumDef, EnumKind, Owner};
use crate::docs;

fn owner_text(owner: &Owner, field: &str) -> String {
    match owner {
        Owner::Input(a) => format!("`{a}` input `{field}`"),
        Owner::Output(a) => format!("`{a}` output `{field}`"),
        Owner::Struct(s) => format!("`{s}.{field}`"),
    }
}

/// The enum's items: the type, its inherent impl and trait impls.
pub fn emit(e: &EnumDef) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let users: Vec<String> = e.owners.iter().map(|(o, f)| owner_text(o, f)).collect();
    let lines = vec![
        format!("The documented values of {}.", users.join(", ")),
        String::new(),
        "Values this SDK version does not know decode as `Unknown`.".to_owned(),
    ];
    let doc = docs::attrs(&lines);
    let variants: Vec<_> = e
        .values
        .iter()
        .map(|v| format_ident!("{}", v.variant))
        .collect();
    let variant_docs = e.values.iter().map(|v| {
        let mut lines = vec![format!("`{}`", v.wire)];
        let meaning = docs::text(&v.description);
        if !meaning.is_empty() {
            lines[0].push_str(": ");
            lines[0].push_str(meaning.first().map(String::as_str).unwrap_or_default());
            lines.extend(meaning.into_iter().skip(1));
        }
        // The mainland page's meaning, where it differs from the text above.
        if let Some(zh) = v
            .description_zh
            .as_deref()
            .filter(|zh| *zh != v.description)
        {
            let zh = docs::text(zh);
            if !zh.is_empty() {
                lines.push(String::new());
                lines.push(format!("中文（中国站）：{}", zh.join(" ")));
            }
        }
        docs::attrs(&lines)
    });
    match e.kind {
        EnumKind::String => {
            let wires: Vec<_> = e.values.iter().map(|v| Literal::string(&v.wire)).collect();
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #( #variant_docs #variants, )*
                    /// A value this SDK version does not know.
                    Unknown(::std::string::String),
                }
                impl #name {
                    /// The wire value.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( Self::#variants => #wires, )*
                            Self::Unknown(value) => value,
                        }
                    }
                    /// Whether this is a value this SDK version does not know.
                    pub fn is_unknown(&self) -> bool {
                        ::std::matches!(self, Self::Unknown(_))
                    }
                    /// Every documented wire value.
                    pub fn values() -> &'static [&'static str] {
                        &[#( #wires ),*]
                    }
                }
                impl ::std::convert::From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #( #wires => Self::#variants, )*
                            other => Self::Unknown(other.to_owned()),
                        }
                    }
                }
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                        s.serialize_str(self.as_str())
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                        crate::de::string_enum(d).map(|value| Self::from(value.as_str()))
                    }
                }
            }
        }
        EnumKind::Integer => {
            let ints: Vec<_> = e
                .values
                .iter()
                .map(|v| Literal::i64_unsuffixed(v.wire.parse::<i64>().unwrap_or_default()))
                .collect();
            quote! {
                #doc
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #( #variant_docs #variants, )*
                    /// A value this SDK version does not know.
                    Unknown(i64),
                }
                impl #name {
                    /// The wire value.
                    pub fn as_i64(&self) -> i64 {
                        match self {
                            #( Self::#variants => #ints, )*
                            Self::Unknown(value) => *value,
                        }
                    }
                    /// Whether this is a value this SDK version does not know.
                    pub fn is_unknown(&self) -> bool {
                        ::std::matches!(self, Self::Unknown(_))
                    }
                    /// Every documented wire value.
                    pub fn values() -> &'static [i64] {
                        &[#( #ints ),*]
                    }
                }
                impl ::std::convert::From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #( #ints => Self::#variants, )*
                            other => Self::Unknown(other),
                        }
                    }
                }
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        ::std::fmt::Display::fmt(&self.as_i64(), f)
                    }
                }
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                        s.serialize_i64(self.as_i64())
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                        crate::de::lenient::<D, i64>(d).map(Self::from)
                    }
                }
            }
        }
    }
}
