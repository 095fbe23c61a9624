//! What the module hands back (outcomes, browser info, wallet request objects) as a small tree the web layer
//! turns into a JS object with one function, and the core writes as JSON text (clientBrowserInfo) with the
//! tiny writer of `json`. Numbers are whole (minor units, codes, pixels): no float formatting anywhere.

use crate::json::{push_int, push_str_literal};
use crate::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<Value>),
    Obj(Obj),
}

/// An object's fields in order; absent optional fields are simply not there.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Obj(pub Vec<(&'static str, Value)>);

impl Obj {
    pub fn new() -> Self {
        Obj(Vec::new())
    }
    // The setters are kept out of line (#[inline(never)]): inlined, each field of each object built was a Vec
    // push of its own (measured: ~180 B gzip off the full build).
    #[inline(never)]
    fn with(mut self, k: &'static str, v: Value) -> Self {
        self.0.push((k, v));
        self
    }
    #[inline(never)]
    pub fn str(self, k: &'static str, v: impl Into<String>) -> Self {
        self.with(k, Value::Str(v.into()))
    }
    #[inline(never)]
    pub fn opt_str(self, k: &'static str, v: Option<&str>) -> Self {
        match v {
            Some(v) => self.str(k, v),
            None => self,
        }
    }
    #[inline(never)]
    pub fn int(self, k: &'static str, v: i64) -> Self {
        self.with(k, Value::Int(v))
    }
    #[inline(never)]
    pub fn opt_int(self, k: &'static str, v: Option<i64>) -> Self {
        match v {
            Some(v) => self.int(k, v),
            None => self,
        }
    }
    #[inline(never)]
    pub fn bool(self, k: &'static str, v: bool) -> Self {
        self.with(k, Value::Bool(v))
    }
    #[inline(never)]
    pub fn put(self, k: &'static str, v: impl Into<Value>) -> Self {
        self.with(k, v.into())
    }
    /// The value of `k`, if set.
    pub fn get(&self, k: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| *n == k).map(|(_, v)| v)
    }
}

impl From<Obj> for Value {
    fn from(o: Obj) -> Value {
        Value::Obj(o)
    }
}

impl From<Vec<String>> for Value {
    fn from(v: Vec<String>) -> Value {
        Value::List(v.into_iter().map(Value::Str).collect())
    }
}

impl Value {
    /// JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Value::Str(s) => push_str_literal(out, s),
            Value::Int(n) => push_int(out, *n),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::List(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            Value::Obj(Obj(fields)) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_str_literal(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_json() {
        let v: Value = Obj::new()
            .str("a", "x\"y")
            .int("n", -42)
            .opt_int("none", None)
            .bool("b", false)
            .put("l", vec!["p".to_owned(), "q".to_owned()])
            .put("o", Obj::new())
            .into();
        assert_eq!(
            v.to_json(),
            r#"{"a":"x\"y","n":-42,"b":false,"l":["p","q"],"o":{}}"#
        );
    }
}
