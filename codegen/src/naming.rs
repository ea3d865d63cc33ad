//! Every Rust name derived from a wire name: one set of functions, tested against a golden
//! table. Acronyms are one word (`CreateTCPListeners` -> `CreateTcpListeners`,
//! `create_tcp_listeners`); plural acronyms (`IPs`) and versioned ones (`IPv6`) stay whole;
//! keywords get a `_` suffix.

/// Rust keywords (strict, reserved and edition-dependent) that cannot be used as names.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Split a wire name into words: `CreateTCPListeners` -> `Create`, `TCP`, `Listeners`;
/// `RealServerIPs` -> `Real`, `Server`, `IPs`; `IPv6Address` -> `IPv6`, `Address`.
/// Characters that are not ASCII letters or digits separate words.
pub fn words(name: &str) -> Vec<String> {
    let c: Vec<char> = name.chars().collect();
    let n = c.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        if !c[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        if c[i].is_ascii_uppercase() {
            let mut j = i;
            while j < n && c[j].is_ascii_uppercase() {
                j += 1;
            }
            if j - i == 1 {
                i = j;
            } else if j < n && c[j].is_ascii_lowercase() {
                let plural = c[j] == 's' && (j + 1 == n || !c[j + 1].is_ascii_lowercase());
                let version = c[j] == 'v' && j + 1 < n && c[j + 1].is_ascii_digit();
                if plural || version {
                    i = j + 1;
                } else {
                    // `TCPListeners`: the last capital starts the next word.
                    out.push(c[start..j - 1].iter().collect());
                    i = j - 1;
                    continue;
                }
            } else {
                i = j;
            }
        }
        while i < n && (c[i].is_ascii_lowercase() || c[i].is_ascii_digit()) {
            i += 1;
        }
        if i == start {
            i += 1;
        }
        out.push(c[start..i].iter().collect());
    }
    out
}

fn capitalize(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn keyword_safe(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        name + "_"
    } else {
        name
    }
}

/// A type name: `CreateTCPListeners` -> `CreateTcpListeners`. Never starts with a digit.
pub fn type_name(name: &str) -> String {
    let joined: String = words(name).iter().map(|w| capitalize(w)).collect();
    match joined.chars().next() {
        None => "Unnamed".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("V{joined}"),
        Some(_) => keyword_safe(joined),
    }
}

/// A field, method or module name: `CreateTCPListeners` -> `create_tcp_listeners`.
pub fn snake(name: &str) -> String {
    let joined = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    match joined.chars().next() {
        None => "unnamed".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("v{joined}"),
        Some(_) => keyword_safe(joined),
    }
}

/// The module of an action under `root` (`crate` or `::gaap_model`):
/// `#root::operation::create_tcp_listeners`.
pub fn operation(root: &proc_macro2::TokenStream, action: &str) -> proc_macro2::TokenStream {
    let module = quote::format_ident!("{}", snake(action));
    quote::quote!(#root::operation::#module)
}

/// The client method of an action: `DescribeHTTPSListeners` -> `describe_https_listeners`.
pub fn method(action: &str) -> String {
    snake(action)
}

/// The request type of an action: `CreateTcpListenersRequest`.
pub fn request(action: &str) -> String {
    format!("{}Request", type_name(action))
}

/// The request builder type of an action: `CreateTcpListenersRequestBuilder`.
pub fn builder(action: &str) -> String {
    format!("{}RequestBuilder", type_name(action))
}

/// The response type of an action: `CreateTcpListenersResponse`.
pub fn response(action: &str) -> String {
    format!("{}Response", type_name(action))
}

/// The error enum of an action: `CreateTcpListenersError`.
pub fn error(action: &str) -> String {
    format!("{}Error", type_name(action))
}

/// The client's fluent builder of an action: `CreateTcpListenersFluent`.
pub fn fluent(action: &str) -> String {
    format!("{}Fluent", type_name(action))
}

/// The error variant of a code: `FailedOperation.ProxyStatusNotRunning` ->
/// `FailedOperationProxyStatusNotRunning`.
pub fn error_variant(code: &str) -> String {
    type_name(code)
}

/// An enum variant for a string value: `rr` -> `Rr`, `DOMAIN` -> `Domain`,
/// `Proxy Protocol` -> `ProxyProtocol`, `1.0` -> `V10`.
pub fn string_variant(value: &str) -> String {
    let name = type_name(value);
    if name == "Unnamed" {
        "Empty".to_owned()
    } else {
        name
    }
}

/// An enum variant for an integer value without a usable meaning: `1` -> `Value1`,
/// `-1` -> `ValueMinus1`.
pub fn integer_variant(value: i64) -> String {
    if value < 0 {
        format!("ValueMinus{}", value.unsigned_abs())
    } else {
        format!("Value{value}")
    }
}

/// A variant named after a short documented meaning (`enabled` -> `Enabled`,
/// `Proxy Protocol` -> `ProxyProtocol`), or `None` when the meaning is not short and plain.
pub fn meaning_variant(meaning: &str) -> Option<String> {
    let m = meaning
        .trim()
        .trim_end_matches(['.', ';', ',', '。'])
        .trim();
    let plain = m
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    let word_count = m.split_whitespace().count();
    if m.is_empty() || !plain || word_count > 3 || m.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(type_name(m))
}

/// Make `name` unique among `taken` by appending `2`, `3`, ...; records the result.
pub fn unique(name: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    let mut k = 2;
    loop {
        let candidate = format!("{name}{k}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        k += 1;
    }
}

/// The golden table of every name derived from the IR: actions (method, request, error),
/// parameters (field), structs (type) and error codes (variant), one per line, sorted.
pub fn table(ir: &crate::ir::Ir) -> String {
    let mut lines = std::collections::BTreeSet::new();
    for a in &ir.actions {
        lines.insert(format!(
            "action  {} -> {} / {} / {} / {}",
            a.name,
            method(&a.name),
            request(&a.name),
            response(&a.name),
            error(&a.name)
        ));
        for p in a.input.iter().chain(&a.output) {
            lines.insert(format!("field   {} -> {}", p.name, snake(&p.name)));
        }
        for e in &a.errors {
            lines.insert(format!("code    {} -> {}", e.code, error_variant(&e.code)));
        }
    }
    for e in &ir.common_errors {
        lines.insert(format!("code    {} -> {}", e.code, error_variant(&e.code)));
    }
    for s in &ir.structs {
        lines.insert(format!("struct  {} -> {}", s.name, type_name(&s.name)));
        for p in &s.fields {
            lines.insert(format!("field   {} -> {}", p.name, snake(&p.name)));
        }
    }
    lines.into_iter().map(|l| l + "\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_are_one_word() {
        assert_eq!(method("CreateTCPListeners"), "create_tcp_listeners");
        assert_eq!(method("DescribeHTTPSListeners"), "describe_https_listeners");
        assert_eq!(request("CreateTCPListeners"), "CreateTcpListenersRequest");
        assert_eq!(snake("ClientIPMethod"), "client_ip_method");
        assert_eq!(snake("IPAddressVersion"), "ip_address_version");
        assert_eq!(snake("ListenerIds"), "listener_ids");
    }

    #[test]
    fn overrides_and_keywords() {
        assert_eq!(snake("RealServerIPs"), "real_server_ips");
        assert_eq!(snake("IPs"), "ips");
        assert_eq!(snake("IPv6Address"), "ipv6_address");
        assert_eq!(type_name("IPv4"), "Ipv4");
        assert_eq!(snake("Type"), "type_");
        assert_eq!(snake("Match"), "match_");
        assert_eq!(type_name("Self"), "Self_");
    }

    #[test]
    fn variants() {
        assert_eq!(string_variant("rr"), "Rr");
        assert_eq!(string_variant("DOMAIN"), "Domain");
        assert_eq!(string_variant("Proxy Protocol"), "ProxyProtocol");
        assert_eq!(string_variant("1.0"), "V10");
        assert_eq!(string_variant(""), "Empty");
        assert_eq!(integer_variant(-1), "ValueMinus1");
        assert_eq!(meaning_variant("enabled"), Some("Enabled".to_owned()));
        assert_eq!(
            meaning_variant("the least-connections strategy, see docs"),
            None
        );
        assert_eq!(
            error_variant("AuthFailure.MFAFailure"),
            "AuthFailureMfaFailure"
        );
    }
}
