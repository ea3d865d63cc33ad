//! Page type names (`String`, `Array of X`, `Timestamp ISO8601`, a struct name) to IR types.

use gaap_ir::Type;

/// The IR type a page's type cell names, or `None` when the text is not a type.
pub fn parse_type(text: &str) -> Option<Type> {
    let text = text.trim();
    if let Some(element) = text
        .strip_prefix("Array of ")
        .or_else(|| text.strip_prefix("array of "))
    {
        return parse_type(element).map(|element| Type::Array(Box::new(element)));
    }
    let primitive = match text.to_ascii_lowercase().as_str() {
        "string" => Some(Type::String),
        "integer" | "int" | "int64" | "uint64" | "long" => Some(Type::Integer),
        "boolean" | "bool" => Some(Type::Boolean),
        "float" | "double" => Some(Type::Float),
        "timestamp" | "timestamp iso8601" | "datetime" => Some(Type::Timestamp),
        _ => None,
    };
    if primitive.is_some() {
        return primitive;
    }
    let mut chars = text.chars();
    let starts_upper = chars.next().is_some_and(|c| c.is_ascii_uppercase());
    (starts_upper && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| Type::Struct(text.to_owned()))
}

/// True when the type is a primitive or an array of primitives (no struct involved).
pub fn is_primitive(ty: &Type) -> bool {
    match ty {
        Type::Struct(_) => false,
        Type::Array(element) => is_primitive(element),
        _ => true,
    }
}

/// The struct a type refers to, directly or as an array element.
pub fn struct_name(ty: &Type) -> Option<&str> {
    match ty {
        Type::Struct(name) => Some(name),
        Type::Array(element) => struct_name(element),
        _ => None,
    }
}

/// The innermost element type (the type itself when it is not an array).
pub fn element(ty: &Type) -> &Type {
    match ty {
        Type::Array(inner) => element(inner),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_types_map_to_ir_types() {
        assert_eq!(parse_type("String"), Some(Type::String));
        assert_eq!(parse_type("Timestamp ISO8601"), Some(Type::Timestamp));
        assert_eq!(
            parse_type("Array of Integer"),
            Some(Type::Array(Box::new(Type::Integer)))
        );
        assert_eq!(
            parse_type("Array of TagPair"),
            Some(Type::Array(Box::new(Type::Struct("TagPair".into()))))
        );
        assert_eq!(parse_type("the value"), None);
        assert_eq!(parse_type("Array of"), None);
        assert_eq!(
            struct_name(&Type::Array(Box::new(Type::Struct("A".into())))),
            Some("A")
        );
        assert!(is_primitive(&Type::Array(Box::new(Type::Float))));
    }
}
