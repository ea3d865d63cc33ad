//! Doc comments from the pages' text: rustdoc-sensitive characters escaped, bare URLs
//! wrapped, and generated lines for constraints, wire names and rate limits.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Param, Type};

/// Escape one line of page text for rustdoc: `[`, `]`, `<`, `>` and backtick fences are
/// escaped, bare URLs become `<https://...>` links and leading indentation is dropped (so no
/// line becomes a code block).
pub fn escape_line(line: &str) -> String {
    let mut out = String::new();
    for (i, token) in line.trim().split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match token.find("http://").or_else(|| token.find("https://")) {
            Some(at) => {
                let (before, rest) = token.split_at(at);
                let end = rest
                    .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | ','))
                    .unwrap_or(rest.len());
                let url = rest[..end].trim_end_matches(['.', ';', ':']);
                let after = &rest[url.len()..];
                out.push_str(&escape_plain(before));
                out.push('<');
                out.push_str(url);
                out.push('>');
                out.push_str(&escape_plain(after));
            }
            None => out.push_str(&escape_plain(token)),
        }
    }
    out
}

fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' | ']' | '<' | '>' | '`' | '*' | '_' | '#' | '|' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Escaped lines of a multi-line text (blank lines collapsed to one).
pub fn text(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = escape_line(line);
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// `#[doc = "..."]` attributes, one per line (a leading space keeps `/// text` tidy).
pub fn attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// A description, or "`Name`." when the page gives none.
pub fn described(description: &str, name: &str) -> Vec<String> {
    let lines = text(description);
    if lines.is_empty() {
        vec![format!("`{name}`.")]
    } else {
        lines
    }
}

/// The line under a text only the mainland site documents.
pub const MAINLAND_ONLY: &str = "*Documented on the mainland site only (in Chinese).*";

/// A description in both site languages: the English text, then the Chinese text of the
/// mainland site where it has one; the Chinese text alone, marked, where only the mainland
/// site documents it (`description_zh` equal to `description`).
pub fn bilingual(description: &str, description_zh: Option<&str>, name: &str) -> Vec<String> {
    let zh = description_zh.map(text).filter(|lines| !lines.is_empty());
    match zh {
        Some(zh) if description_zh == Some(description) => {
            let mut lines = zh;
            lines.push(String::new());
            lines.push(MAINLAND_ONLY.to_owned());
            lines
        }
        Some(zh) => {
            let mut lines = described(description, name);
            lines.push(String::new());
            lines.push("中文（中国站）：".to_owned());
            lines.extend(zh);
            lines
        }
        None => described(description, name),
    }
}

/// The lines documenting a parameter: its description, then its constraints in words and
/// its wire name.
pub fn param(p: &Param, input: bool) -> Vec<String> {
    let mut lines = bilingual(&p.description, p.description_zh.as_deref(), &p.name);
    lines.push(String::new());
    let c = &p.constraints;
    if input && p.required {
        lines.push("Required.".to_owned());
    }
    // The rules in the words the runtime uses when one is broken (`Rule`'s `Display`).
    for rule in c.rules() {
        let text = format!("Rule: {rule}.");
        lines.push(text.replace('[', "\\[").replace(']', "\\]"));
    }
    if let Some(d) = &c.deprecated {
        lines.push(match &d.use_instead {
            Some(other) => format!("Deprecated: use `{other}` instead."),
            None => "Deprecated.".to_owned(),
        });
    }
    if c.idempotency_token {
        lines.push(
            "Idempotency token: the client fills it once per call and reuses it on retries."
                .to_owned(),
        );
    }
    if !input && p.nullable {
        lines.push("May be null in responses.".to_owned());
    }
    let kind = match &p.ty {
        Type::Timestamp => " (a timestamp, kept verbatim)",
        _ => "",
    };
    lines.push(format!("Wire name: `{}`{kind}.", p.name));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_brackets_and_urls() {
        assert_eq!(
            escape_line("Value range: [5, 300]."),
            "Value range: \\[5, 300\\]."
        );
        assert_eq!(escape_line("  a < b"), "a \\< b");
        assert_eq!(
            escape_line("see https://cloud.tencent.com/document/x."),
            "see <https://cloud.tencent.com/document/x>."
        );
        assert_eq!(escape_line("(https://a.b/c)"), "(<https://a.b/c>)");
    }

    #[test]
    fn empty_description_falls_back_to_name() {
        assert_eq!(described("  \n", "Foo"), vec!["`Foo`.".to_owned()]);
        assert_eq!(text("a\n\n\nb\n"), vec!["a", "", "b"]);
    }
}
