//! Diagnostics: hard errors ([`ParseError`]) and warnings ([`Warning`]), both naming the
//! file and line they are about.

use std::fmt;

/// A page that cannot be turned into IR. Parsing stops and nothing is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// File name of the page (as given to the parser).
    pub file: String,
    /// 1-based line number the error is about (0 when it concerns the whole file).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Something missing or dubious on a page; the IR of what is there is still produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// File name of the page.
    pub file: String,
    /// 1-based line number the warning is about (0 when it concerns the whole file).
    pub line: usize,
    /// What is missing or dubious.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}:{}: {}", self.file, self.line, self.message)
    }
}

/// Collects the diagnostics of one parse run.
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// Hard errors, in the order found.
    pub errors: Vec<ParseError>,
    /// Warnings, in the order found.
    pub warnings: Vec<Warning>,
    /// Pages of one action in the two languages that disagree on a type or a required
    /// flag, with no page marked as the one to trust (also among the warnings).
    pub disagreements: Vec<Warning>,
}

impl Diagnostics {
    /// Records an error about `file` at `line`.
    pub fn error(&mut self, file: &str, line: usize, message: impl Into<String>) {
        self.errors.push(ParseError {
            file: file.to_owned(),
            line,
            message: message.into(),
        });
    }

    /// Records a warning about `file` at `line`.
    /// Records a disagreement between two pages that regenerating must not pass over.
    pub fn disagree(&mut self, file: &str, line: usize, message: impl Into<String>) {
        let warning = Warning {
            file: file.to_owned(),
            line,
            message: message.into(),
        };
        self.disagreements.push(warning.clone());
        self.warnings.push(warning);
    }

    pub fn warn(&mut self, file: &str, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning {
            file: file.to_owned(),
            line,
            message: message.into(),
        });
    }
}
