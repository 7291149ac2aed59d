//! A small XML tree and Canonical XML 1.0 (inclusive, without comments) over it.
//!
//! Enough of W3C C14N 1.0 for signing: the whole document minus one element (the
//! enveloped-signature transform) and a single element's subtree (a same-document
//! reference, or `SignedInfo`), with namespace and `xml:` attribute inheritance from the
//! ancestors. Documents with a DTD are refused, so there are no entity or default-attribute
//! surprises. The result is checked against xmlsec1 (libxml2's C14N) in the tests.

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// The XML namespace bound to the `xml` prefix.
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Why the XML could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("The XML cannot be read: {0}")]
pub struct XmlError(pub String);

/// An element with its raw (prefixed) name and attributes, namespace declarations included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// A child of an element. Comments are dropped while parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
    Pi(String, String),
}

/// A parsed document.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    /// The input with line ends normalized and any byte-order mark removed.
    pub text: String,
    pub root: Element,
    /// Byte offset in `text` of the root's closing tag.
    pub root_close: usize,
    before: Vec<(String, String)>,
    after: Vec<(String, String)>,
}

impl Element {
    /// The name without its prefix.
    pub fn local_name(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    fn prefix(&self) -> &str {
        match self.name.split_once(':') {
            Some((p, _)) => p,
            None => "",
        }
    }

    /// The value of an attribute by its raw name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The element children.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    /// The namespaces in scope on this element, given those of its parent.
    pub fn scope(&self, parent: &NsMap) -> NsMap {
        let mut map = parent.clone();
        for (k, v) in &self.attrs {
            if k == "xmlns" {
                if v.is_empty() {
                    map.remove("");
                } else {
                    map.insert(String::new(), v.clone());
                }
            } else if let Some(p) = k.strip_prefix("xmlns:") {
                map.insert(p.to_string(), v.clone());
            }
        }
        map
    }

    /// The namespace URI of this element, given its own scope.
    pub fn namespace<'a>(&self, scope: &'a NsMap) -> Option<&'a str> {
        scope.get(self.prefix()).map(String::as_str)
    }
}

/// Prefix ("" for the default namespace) → namespace URI.
pub(crate) type NsMap = BTreeMap<String, String>;

fn utf8(bytes: &[u8]) -> Result<String, XmlError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| XmlError("the text is not valid UTF-8".into()))
}

fn element_from(start: &BytesStart<'_>) -> Result<Element, XmlError> {
    let name = utf8(start.name().as_ref())?;
    let mut attrs: Vec<(String, String)> = Vec::new();
    for attr in start.attributes().with_checks(true) {
        let attr = attr.map_err(|e| XmlError(format!("bad attribute in <{name}>: {e}")))?;
        let key = utf8(attr.key.as_ref())?;
        // Attribute-value normalization: literal white space becomes a space.
        let raw: String = utf8(&attr.value)?
            .chars()
            .map(|c| {
                if matches!(c, '\t' | '\n' | '\r') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let value = quick_xml::escape::unescape(&raw)
            .map_err(|e| XmlError(format!("bad attribute value in <{name}>: {e}")))?
            .into_owned();
        if attrs.iter().any(|(k, _)| *k == key) {
            return Err(XmlError(format!("attribute {key} repeated in <{name}>")));
        }
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
    })
}

fn push_text(parent: &mut Element, text: String) {
    if let Some(Node::Text(prev)) = parent.children.last_mut() {
        prev.push_str(&text);
    } else {
        parent.children.push(Node::Text(text));
    }
}

/// Parses a document. Comments are dropped; a DTD is refused.
pub(crate) fn parse(input: &str) -> Result<Parsed, XmlError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let text = input.replace("\r\n", "\n").replace('\r', "\n");
    let mut reader = Reader::from_str(&text);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut root_close = 0usize;
    let mut before = Vec::new();
    let mut after = Vec::new();
    loop {
        let position = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader
            .read_event()
            .map_err(|e| XmlError(format!("{e} (near byte {position})")))?;
        match event {
            Event::Decl(_) | Event::Comment(_) => {}
            Event::DocType(_) => {
                return Err(XmlError("documents with a DTD are not supported".into()));
            }
            Event::Start(start) => {
                if stack.is_empty() && root.is_some() {
                    return Err(XmlError("more than one root element".into()));
                }
                stack.push(element_from(&start)?);
            }
            Event::Empty(start) => {
                let element = element_from(&start)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(element)),
                    None if root.is_none() => {
                        root_close = position;
                        root = Some(element);
                    }
                    None => return Err(XmlError("more than one root element".into())),
                }
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| XmlError("closing tag without an opening tag".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(element)),
                    None => {
                        root_close = position;
                        root = Some(element);
                    }
                }
            }
            Event::Text(t) => {
                let value = t
                    .unescape()
                    .map_err(|e| XmlError(format!("bad text (near byte {position}): {e}")))?
                    .into_owned();
                match stack.last_mut() {
                    Some(parent) => push_text(parent, value),
                    None if value.trim().is_empty() => {}
                    None => return Err(XmlError("text outside the root element".into())),
                }
            }
            Event::CData(c) => {
                let value = utf8(&c)?;
                match stack.last_mut() {
                    Some(parent) => push_text(parent, value),
                    None => return Err(XmlError("CDATA outside the root element".into())),
                }
            }
            Event::PI(pi) => {
                let raw = utf8(&pi)?;
                let (target, data) = match raw.split_once(|c: char| c.is_ascii_whitespace()) {
                    Some((t, d)) => (t.to_string(), d.trim_start().to_string()),
                    None => (raw.clone(), String::new()),
                };
                match (stack.last_mut(), root.is_some()) {
                    (Some(parent), _) => parent.children.push(Node::Pi(target, data)),
                    (None, false) => before.push((target, data)),
                    (None, true) => after.push((target, data)),
                }
            }
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(XmlError(
            "the document ends before all elements are closed".into(),
        ));
    }
    let root = root.ok_or_else(|| XmlError("there is no root element".into()))?;
    Ok(Parsed {
        text,
        root,
        root_close,
        before,
        after,
    })
}

fn escape_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

fn write_pi(target: &str, data: &str, out: &mut String) {
    out.push_str("<?");
    out.push_str(target);
    if !data.is_empty() {
        out.push(' ');
        out.push_str(data);
    }
    out.push_str("?>");
}

struct Canonicalizer<'a> {
    exclude: Option<&'a Element>,
    out: String,
}

impl Canonicalizer<'_> {
    /// Writes `el` (in the node set) whose nearest output ancestor had `rendered` in scope;
    /// `parent_scope` is the scope of its parent; `inherited_xml` are `xml:` attributes of
    /// ancestors outside the node set (apex only).
    fn element(
        &mut self,
        el: &Element,
        parent_scope: &NsMap,
        rendered: &NsMap,
        inherited_xml: &[(String, String)],
    ) {
        if self.exclude.is_some_and(|x| std::ptr::eq(x, el)) {
            return;
        }
        let scope = el.scope(parent_scope);
        self.out.push('<');
        self.out.push_str(&el.name);
        // Namespace nodes that differ from what the output parent already has in scope.
        if !scope.contains_key("") && rendered.get("").is_some_and(|u| !u.is_empty()) {
            self.out.push_str(" xmlns=\"\"");
        }
        for (prefix, uri) in &scope {
            if rendered.get(prefix) == Some(uri) {
                continue;
            }
            self.out.push_str(" xmlns");
            if !prefix.is_empty() {
                self.out.push(':');
                self.out.push_str(prefix);
            }
            self.out.push_str("=\"");
            escape_attr(uri, &mut self.out);
            self.out.push('"');
        }
        // Attributes, sorted by namespace URI then local name.
        let mut attrs: Vec<(String, String, &str, &str)> = Vec::new();
        for (k, v) in &el.attrs {
            if k == "xmlns" || k.starts_with("xmlns:") {
                continue;
            }
            let (uri, local) = match k.split_once(':') {
                Some(("xml", local)) => (XML_NS.to_string(), local),
                Some((p, local)) => (scope.get(p).cloned().unwrap_or_default(), local),
                None => (String::new(), k.as_str()),
            };
            attrs.push((uri, local.to_string(), k, v));
        }
        for (k, v) in inherited_xml {
            if !el.attrs.iter().any(|(own, _)| own == k) {
                let local = k.strip_prefix("xml:").unwrap_or(k);
                attrs.push((XML_NS.to_string(), local.to_string(), k, v));
            }
        }
        attrs.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        for (_, _, k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_attr(v, &mut self.out);
            self.out.push('"');
        }
        self.out.push('>');
        for child in &el.children {
            match child {
                Node::Element(c) => self.element(c, &scope, &scope, &[]),
                Node::Text(t) => escape_text(t, &mut self.out),
                Node::Pi(t, d) => write_pi(t, d, &mut self.out),
            }
        }
        self.out.push_str("</");
        self.out.push_str(&el.name);
        self.out.push('>');
    }
}

/// Canonical form of the whole document, leaving out `exclude` and its subtree.
pub(crate) fn canonical_document(doc: &Parsed, exclude: Option<&Element>) -> String {
    let mut c = Canonicalizer {
        exclude,
        out: String::new(),
    };
    for (t, d) in &doc.before {
        write_pi(t, d, &mut c.out);
        c.out.push('\n');
    }
    let empty = NsMap::new();
    c.element(&doc.root, &empty, &empty, &[]);
    for (t, d) in &doc.after {
        c.out.push('\n');
        write_pi(t, d, &mut c.out);
    }
    c.out
}

/// Canonical form of one element's subtree, with the namespaces and `xml:` attributes it
/// inherits from `ancestors` (root first).
pub(crate) fn canonical_subtree(ancestors: &[&Element], el: &Element) -> String {
    let mut scope = NsMap::new();
    let mut xml_attrs: Vec<(String, String)> = Vec::new();
    for a in ancestors {
        scope = a.scope(&scope);
        for (k, v) in &a.attrs {
            if k.starts_with("xml:") {
                xml_attrs.retain(|(own, _)| own != k);
                xml_attrs.push((k.clone(), v.clone()));
            }
        }
    }
    let mut c = Canonicalizer {
        exclude: None,
        out: String::new(),
    };
    c.element(el, &scope, &NsMap::new(), &xml_attrs);
    c.out
}

/// Finds the element whose `attr` equals `value`; returns its ancestors (root first) and it.
pub(crate) fn find_by_attr<'a>(
    root: &'a Element,
    attr: &str,
    value: &str,
) -> Option<(Vec<&'a Element>, &'a Element)> {
    fn walk<'a>(
        el: &'a Element,
        attr: &str,
        value: &str,
        path: &mut Vec<&'a Element>,
    ) -> Option<&'a Element> {
        if el.attr(attr) == Some(value) {
            return Some(el);
        }
        path.push(el);
        for child in el.elements() {
            if let Some(found) = walk(child, attr, value, path) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    let mut path = Vec::new();
    walk(root, attr, value, &mut path).map(|found| (path, found))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn document_form() {
        let xml = "<?xml version=\"1.0\"?>\r\n<?pi  a?>\n<!-- c -->\n<r xmlns=\"urn:a\" b=\"2\" a=\"1&#10;x\"><e/>t&amp;&#xD;<x:y xmlns:x=\"urn:x\" x:z=\"1\"/><![CDATA[<c>]]></r>\n";
        let doc = parse(xml).unwrap();
        assert_eq!(
            canonical_document(&doc, None),
            "<?pi a?>\n<r xmlns=\"urn:a\" a=\"1&#xA;x\" b=\"2\"><e></e>t&amp;&#xD;<x:y xmlns:x=\"urn:x\" x:z=\"1\"></x:y>&lt;c&gt;</r>"
        );
    }

    #[test]
    fn subtree_inherits_namespaces_and_xml_attributes() {
        let xml = "<r xmlns=\"urn:a\" xmlns:ds=\"urn:ds\" xml:lang=\"es\"><ds:S xmlns:xa=\"urn:xa\"><xa:P Id=\"p\" xmlns:b=\"urn:b\"><c xmlns=\"\"/></xa:P></ds:S></r>";
        let doc = parse(xml).unwrap();
        let (anc, el) = find_by_attr(&doc.root, "Id", "p").unwrap();
        assert_eq!(anc.len(), 2);
        assert_eq!(
            canonical_subtree(&anc, el),
            "<xa:P xmlns=\"urn:a\" xmlns:b=\"urn:b\" xmlns:ds=\"urn:ds\" xmlns:xa=\"urn:xa\" Id=\"p\" xml:lang=\"es\"><c xmlns=\"\"></c></xa:P>"
        );
    }

    #[test]
    fn exclusion_removes_the_subtree_only() {
        let xml = "<r>\n  <a/>\n<s><t/></s></r>";
        let doc = parse(xml).unwrap();
        let s = doc.root.elements().nth(1).unwrap();
        assert_eq!(canonical_document(&doc, Some(s)), "<r>\n  <a></a>\n</r>");
        assert_eq!(&doc.text[doc.root_close..], "</r>");
    }

    proptest::proptest! {
        #[test]
        fn parser_never_panics(s in "\\PC{0,200}") {
            if let Ok(doc) = parse(&s) {
                let _ = canonical_document(&doc, None);
            }
        }

        #[test]
        fn parser_on_markup_soup(parts in proptest::collection::vec(
            "(<a>|</a>|<b:c xmlns:b=\"urn:b\">|</b:c>|<d/>|<e x=\"1\" y='2'/>|&amp;|&#xD;|&#1;|&nope;|<!\\[CDATA\\[z\\]\\]>|<\\?p q\\?>|<!-- c -->|\\PC{0,6})", 0..24)) {
            if let Ok(doc) = parse(&parts.concat()) {
                let _ = canonical_document(&doc, None);
                if let Some(first) = doc.root.elements().next() {
                    let _ = canonical_subtree(&[&doc.root], first);
                }
            }
        }
    }

    #[test]
    fn refuses_bad_input() {
        assert!(parse("<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>").is_err());
        assert!(parse("<r><a></r>").is_err());
        assert!(parse("<r/><r/>").is_err());
        assert!(parse("").is_err());
        assert!(parse("<r a='1' a='2'/>").is_err());
        assert!(parse("text<r/>").is_err());
    }
}
