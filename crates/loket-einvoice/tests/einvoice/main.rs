//! Integration tests: the official XSD (xmllint), an independent signature verifier
//! (xmlsec1), and test certificates made with openssl at test time.
#![allow(clippy::unwrap_used)]

mod fixtures;
mod import;
mod precheck;
mod signing;
mod xml;
