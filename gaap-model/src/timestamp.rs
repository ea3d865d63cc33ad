//! Timestamps as the service writes them (`2023-07-13 15:25:33`, ISO 8601, or Unix
//! seconds), kept verbatim so they round-trip exactly.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// A timestamp, kept exactly as the wire spelled it (a JSON string, or a JSON integer of
/// Unix seconds, which is sent back as an integer).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Timestamp {
    text: String,
    number: bool,
}

impl Timestamp {
    /// The text as received (or as given).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn text(text: String) -> Self {
        Timestamp {
            text,
            number: false,
        }
    }

    fn number(text: String) -> Self {
        Timestamp { text, number: true }
    }
}

impl From<String> for Timestamp {
    fn from(value: String) -> Self {
        Timestamp::text(value)
    }
}

impl From<&str> for Timestamp {
    fn from(value: &str) -> Self {
        Timestamp::text(value.to_owned())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (self.number, self.text.parse::<i64>()) {
            (true, Ok(n)) => s.serialize_i64(n),
            _ => s.serialize_str(&self.text),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp string or number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Ok(Timestamp::text(v.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(Timestamp::number(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                Ok(Timestamp::number(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_verbatim() {
        for text in [r#""2023-07-13 15:25:33""#, r#""2023-07-13T15:25:33+08:00""#] {
            let t: Timestamp = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&t).unwrap(), text);
        }
        let t: Timestamp = serde_json::from_str("1689232533").unwrap();
        assert_eq!(t.as_str(), "1689232533");
        assert_eq!(serde_json::to_string(&t).unwrap(), "1689232533");
    }
}
