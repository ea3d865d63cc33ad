//! Plain text as copied from a browser: one block per line; table rows are split later by
//! [`crate::parse::table`].

use super::{Block, numbered_lines};

/// Every line of the page as a text or blank block.
pub fn blocks(source: &str) -> Vec<Block> {
    numbered_lines(source)
        .map(|(line, text)| {
            if text.trim().is_empty() {
                Block::Blank { line }
            } else {
                Block::Text {
                    line,
                    text: text.to_owned(),
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_text_and_blank_blocks() {
        let blocks = blocks("a  \r\n\nb");
        assert_eq!(
            blocks,
            vec![
                Block::Text {
                    line: 1,
                    text: "a".into()
                },
                Block::Blank { line: 2 },
                Block::Text {
                    line: 3,
                    text: "b".into()
                },
            ]
        );
    }
}
