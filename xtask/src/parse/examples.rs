//! The examples section: titles, the request in either form (a JSON body after the HTTP
//! headers, or a query string `?Action=...&ProxyIds.0=...` folded into JSON with arrays by
//! [`gaap_wire::fold`], as the emulator folds a `GET` request) and the object inside
//! `Response` of the output example.

use std::sync::LazyLock;

use gaap_ir::Type;
use gaap_wire::common;
use gaap_wire::fold::{self, FoldError, Limits};
use regex::Regex;
use serde_json::Value;

use super::layout::Block;

static TITLE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:example|示例|예시|예제|contoh|ejemplo|exemplo)\s*\d+").ok()
});
static HEADER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:POST|GET) \S+ HTTP/[\d.]+|[A-Za-z][A-Za-z0-9-]*:\s+\S.*|<[^>]+>)$").ok()
});

/// One example as read from the page.
#[derive(Debug, Clone, PartialEq)]
pub struct RawExample {
    /// Line of the title.
    pub line: usize,
    /// The title.
    pub title: String,
    /// The request parameters.
    pub request: Option<Value>,
    /// True when the request was a query string (its values are still strings).
    pub from_query: bool,
    /// The object inside `Response`.
    pub response: Option<Value>,
}

/// A problem found in the examples section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleIssue {
    /// Line it is about.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Brace depth change of a JSON line, ignoring braces inside strings.
fn depth_change(line: &str) -> i64 {
    let mut depth = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '{' | '[' if !in_string => depth += 1,
            '}' | ']' if !in_string => depth -= 1,
            _ => {}
        }
    }
    depth
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes.get(index).copied().unwrap_or_default();
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (byte, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                index += 3;
            }
            _ => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Folds `key=value` pairs into one JSON object (values stay strings), dropping the
/// common parameters (a key whose first segment is one, e.g. `Action`) and pairs without a
/// name; `Err` when keys clash (`A=1&A.0=2`, a key twice) or are malformed (`A..0`).
pub fn fold_query(pairs: &[(String, String)]) -> Result<Value, FoldError> {
    fold::fold(
        pairs
            .iter()
            .map(|(key, value)| (key.as_str(), value.clone())),
        |key| {
            let first = key.split('.').next().unwrap_or_default();
            first.is_empty() || common::is_common(first)
        },
        &Limits::DEFAULT,
    )
}

/// Converts query-string values to the JSON type the IR gives them (Integer, Float and
/// Boolean when the text parses); `field_type` looks up a struct's field types.
pub fn coerce(value: &mut Value, ty: &Type, field_type: &dyn Fn(&str, &str) -> Option<Type>) {
    match (ty, &mut *value) {
        (Type::Integer, Value::String(text)) => {
            if let Ok(number) = text.parse::<i64>() {
                *value = Value::from(number);
            }
        }
        (Type::Float, Value::String(text)) => {
            if let Some(number) = text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
            {
                *value = Value::Number(number);
            }
        }
        (Type::Boolean, Value::String(text)) => {
            if let Ok(flag) = text.parse::<bool>() {
                *value = Value::Bool(flag);
            }
        }
        (Type::Array(element), Value::Array(items)) => {
            for item in items {
                coerce(item, element, field_type);
            }
        }
        (Type::Struct(name), Value::Object(members)) => {
            for (field, member) in members.iter_mut() {
                if let Some(field_ty) = field_type(name, field) {
                    coerce(member, &field_ty, field_type);
                }
            }
        }
        _ => {}
    }
}

fn query_pairs(text: &str, pairs: &mut Vec<(String, String)>) {
    let query = text.split_once('?').map_or(text, |(_, query)| query);
    for part in query.split('&') {
        if let Some((key, value)) = part.trim().split_once('=') {
            pairs.push((percent_decode(key.trim()), percent_decode(value.trim())));
        }
    }
}

fn is_query_start(text: &str) -> bool {
    (text.starts_with("http://") || text.starts_with("https://") || text.starts_with("/?"))
        && text.contains('?')
}

/// State of the example being read.
#[derive(Default)]
struct Reader {
    examples: Vec<RawExample>,
    issues: Vec<ExampleIssue>,
    json: Option<(usize, String, i64)>,
    query: Option<Vec<(String, String)>>,
}

impl Reader {
    fn current_complete(&self) -> bool {
        self.examples.last().is_none_or(|e| e.response.is_some())
    }

    fn start(&mut self, line: usize, title: &str) {
        self.finish_query();
        self.examples.push(RawExample {
            line,
            title: title.to_owned(),
            request: None,
            from_query: false,
            response: None,
        });
    }

    fn finish_query(&mut self) {
        if let Some(pairs) = self.query.take()
            && let Some(example) = self.examples.last_mut()
        {
            example.from_query = true;
            match fold_query(&pairs) {
                Ok(request) => example.request = Some(request),
                Err(error) => self.issues.push(ExampleIssue {
                    line: example.line,
                    message: format!("example query string does not fold: {error}"),
                }),
            }
        }
    }

    fn finish_json(&mut self, line: usize, text: &str) {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => {
                if self.examples.is_empty() {
                    self.start(line, "Example");
                }
                let Some(example) = self.examples.last_mut() else {
                    return;
                };
                match value {
                    Value::Object(mut members) if members.contains_key("Response") => {
                        example.response = members.remove("Response");
                    }
                    other if example.request.is_none() => example.request = Some(other),
                    _ => self.issues.push(ExampleIssue {
                        line,
                        message: "unexpected JSON block in the examples".into(),
                    }),
                }
            }
            Err(error) => self.issues.push(ExampleIssue {
                line,
                message: format!("example JSON does not parse: {error}"),
            }),
        }
    }

    fn line(&mut self, line: usize, raw: &str) {
        let text = raw.trim();
        if let Some((start, buffer, depth)) = self.json.as_mut() {
            buffer.push('\n');
            buffer.push_str(raw);
            *depth += depth_change(raw);
            if *depth <= 0 {
                let (start, buffer) = (*start, std::mem::take(buffer));
                self.json = None;
                self.finish_json(start, &buffer);
            }
            return;
        }
        if text.starts_with('&') && self.query.is_some() {
            if let Some(pairs) = self.query.as_mut() {
                query_pairs(text, pairs);
            }
            return;
        }
        self.finish_query();
        if text.starts_with('{') || text.starts_with('[') {
            let depth = depth_change(raw);
            if depth <= 0 {
                self.finish_json(line, raw);
            } else {
                self.json = Some((line, raw.to_owned(), depth));
            }
        } else if is_query_start(text) {
            if self.examples.is_empty() {
                self.start(line, "Example");
            }
            let mut pairs = Vec::new();
            query_pairs(text, &mut pairs);
            self.query = Some(pairs);
        } else if HEADER.as_ref().is_some_and(|re| re.is_match(text)) {
        } else if TITLE.as_ref().is_some_and(|re| re.is_match(text)) || self.current_complete() {
            self.start(line, text);
        }
    }
}

/// The examples of a page's examples section, and what is wrong with them.
pub fn examples(blocks: &[Block]) -> (Vec<RawExample>, Vec<ExampleIssue>) {
    let mut reader = Reader::default();
    for block in blocks {
        match block {
            Block::Text { line, text } => reader.line(*line, text),
            Block::Row { line, cells } => reader.line(*line, &cells.join(" ")),
            Block::Blank { .. } => {}
        }
    }
    if let Some((line, _, _)) = reader.json.take() {
        reader.issues.push(ExampleIssue {
            line,
            message: "example JSON is cut off".into(),
        });
    }
    reader.finish_query();
    for example in &reader.examples {
        if example.request.is_none() {
            reader.issues.push(ExampleIssue {
                line: example.line,
                message: format!("example `{}` has no input example", example.title),
            });
        }
        if example.response.is_none() {
            reader.issues.push(ExampleIssue {
                line: example.line,
                message: format!("example `{}` has no output example", example.title),
            });
        }
    }
    (reader.examples, reader.issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::layout::text;
    use serde_json::json;

    #[test]
    fn query_string_is_folded_into_json() {
        let pairs: Vec<(String, String)> = [
            ("Action", "DescribeProxies"),
            ("Filters.0.Name", "AccessRegion"),
            ("Filters.0.Values.0", "ap-hongkong"),
            ("ProxyIds.1", "b"),
            ("ProxyIds.0", "a"),
            ("Limit", "1"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let folded = fold_query(&pairs);
        assert_eq!(
            folded,
            Ok(
                json!({"Filters": [{"Name": "AccessRegion", "Values": ["ap-hongkong"]}], "ProxyIds": ["a", "b"], "Limit": "1"})
            )
        );
        let mut value = folded.unwrap_or_default();
        let limit = Type::Integer;
        if let Some(member) = value.get_mut("Limit") {
            coerce(member, &limit, &|_, _| None);
        }
        assert_eq!(value.get("Limit"), Some(&json!(1)));
    }

    #[test]
    fn both_request_forms() {
        let page = "Example1 Query\n\nInput Example\n\nhttps://x/?Action=A\n&Force=1\n&<Common request parameters>\n\nOutput Example\n\n{\n  \"Response\": {\"RequestId\": \"r\", \"A\": {}}\n}\n\nExample2 Body\n\nPOST / HTTP/1.1\nHost: x\nX-TC-Action: A\n<Common request parameters>\n\n{\n  \"B\": \"{x\"\n}\n\nOutput Example\n{\"Response\": {}}\n";
        let (examples, issues) = examples(&text::blocks(page));
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(examples.len(), 2);
        assert_eq!(examples[0].title, "Example1 Query");
        assert_eq!(examples[0].request, Some(json!({"Force": "1"})));
        assert!(examples[0].from_query);
        assert_eq!(
            examples[0].response,
            Some(json!({"RequestId": "r", "A": {}}))
        );
        assert_eq!(examples[1].request, Some(json!({"B": "{x"})));
    }

    #[test]
    fn clashing_query_keys_are_reported() {
        let page = "Example1 Clash\n\nhttps://x/?Action=A&Token.x=t&Force=1\n&Force.0=2\n\nOutput Example\n{\"Response\": {}}\n";
        let (examples, issues) = examples(&text::blocks(page));
        assert_eq!(examples.len(), 1);
        assert_eq!(examples[0].request, None);
        assert!(
            issues[0].message.contains("`Force.0` conflicts"),
            "{issues:?}"
        );
    }

    #[test]
    fn missing_output_is_reported() {
        let (examples, issues) =
            examples(&text::blocks("Example1 A\n{\"X\": 1}\nOutput Example\n{\n"));
        assert_eq!(examples.len(), 1);
        assert_eq!(issues.len(), 2);
    }
}
