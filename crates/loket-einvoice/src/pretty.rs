//! Re-indents XML for people to read (the form's XML tab, a saved answer). The signed bytes
//! are never touched: this works on a copy for display.

use quick_xml::events::Event;
use quick_xml::{Reader, Writer};

/// `text` with one element per line, indented by two spaces; text that does not parse as XML
/// is returned as it was.
pub fn pretty_xml(text: &str) -> String {
    indent(text).unwrap_or_else(|| text.to_string())
}

fn indent(text: &str) -> Option<String> {
    let mut reader = Reader::from_str(text);
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    loop {
        match reader.read_event().ok()? {
            Event::Eof => break,
            // Whitespace between elements is layout: the writer makes its own.
            Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
            event => writer.write_event(event).ok()?,
        }
    }
    String::from_utf8(writer.into_inner()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_elements_are_indented_and_text_kept() {
        let out = pretty_xml("<a><b>x &amp; y</b><c/></a>");
        assert_eq!(out, "<a>\n  <b>x &amp; y</b>\n  <c/>\n</a>");
    }

    #[test]
    fn text_that_is_not_xml_comes_back_unchanged() {
        assert_eq!(pretty_xml("<a><b></a>"), "<a><b></a>");
        assert_eq!(pretty_xml("not xml at all"), "not xml at all");
    }
}
