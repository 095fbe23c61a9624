//! Reading parsed JSON field by field, whatever holds it: a JS object in the browser (the web layer reads it
//! with `Reflect`), a `serde_json::Value` in the tests. The gateway's answers are read with this instead
//! of a generic deserializer, whose machinery costs tens of kilobytes in the wasm.
//!
//! The readers keep serde's rules for `Option` fields: absent or null is None, a value of the wrong type
//! makes the whole answer unreadable (`Bad`), unknown fields are ignored.

use crate::prelude::*;
use core::cell::Cell;

/// A parsed JSON value.
pub trait Fields: Sized {
    /// The value of `key` when this is an object that has it and it is not null.
    fn get(&self, key: &str) -> Option<Self>;
    /// The string, when this is one.
    fn text(&self) -> Option<String>;
    /// The number, when this is one.
    fn number(&self) -> Option<f64>;
    /// The boolean, when this is one.
    fn flag(&self) -> Option<bool>;
    /// Whether this is an object (not an array).
    fn is_object(&self) -> bool;
    /// The elements, when this is an array.
    fn items(&self) -> Option<Vec<Self>>;
}

/// A field of the wrong type: the answer is not of the protocol's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bad;

/// A string field.
pub fn string<F: Fields>(f: &F, key: &str) -> Result<Option<String>, Bad> {
    f.get(key).map(|v| v.text().ok_or(Bad)).transpose()
}

/// A number field.
pub fn number<F: Fields>(f: &F, key: &str) -> Result<Option<f64>, Bad> {
    f.get(key).map(|v| v.number().ok_or(Bad)).transpose()
}

/// An object field read with `read`.
pub fn object<F: Fields, T>(
    f: &F,
    key: &str,
    read: impl Fn(&F) -> Result<T, Bad>,
) -> Result<Option<T>, Bad> {
    match f.get(key) {
        None => Ok(None),
        Some(v) if v.is_object() => read(&v).map(Some),
        Some(_) => Err(Bad),
    }
}

/// An array field whose elements are read with `read`.
pub fn list<F: Fields, T>(
    f: &F,
    key: &str,
    read: impl Fn(&F) -> Result<T, Bad>,
) -> Result<Option<Vec<T>>, Bad> {
    match f.get(key) {
        None => Ok(None),
        Some(v) => v
            .items()
            .ok_or(Bad)?
            .iter()
            .map(read)
            .collect::<Result<Vec<T>, Bad>>()
            .map(Some),
    }
}

/// Reads the fields of one object, remembering whether any had the wrong type, so that a whole struct is
/// built in one expression and checked once at the end (`finish`): no early return per field, whose drop
/// paths for the fields read so far grow with every field (kilobytes of wasm for the gateway's answer).
pub struct Reader<'a, F> {
    f: &'a F,
    bad: Cell<bool>,
}

impl<'a, F: Fields> Reader<'a, F> {
    /// A reader of `f`, which must be an object.
    pub fn new(f: &'a F) -> Self {
        Reader {
            f,
            bad: Cell::new(!f.is_object()),
        }
    }

    fn ok<T>(&self, r: Result<Option<T>, Bad>) -> Option<T> {
        r.unwrap_or_else(|_| {
            self.bad.set(true);
            None
        })
    }

    /// A string field.
    #[inline(never)]
    pub fn str(&self, key: &str) -> Option<String> {
        self.ok(string(self.f, key))
    }

    /// A string field only shown, never decided on: of another type it is absent, and the answer stays readable
    /// (a paid order must not turn unknown over how a gateway types a display field).
    #[inline(never)]
    pub fn shown(&self, key: &str) -> Option<String> {
        string(self.f, key).ok().flatten()
    }

    /// A string field that has two spellings; both at once are refused (as serde refuses an alias given
    /// twice).
    #[inline(never)]
    pub fn str_alias(&self, key: &str, alias: &str) -> Option<String> {
        match (self.str(key), self.str(alias)) {
            (Some(_), Some(_)) => {
                self.fail();
                None
            }
            (a, b) => a.or(b),
        }
    }

    /// Marks the object unreadable.
    #[inline(never)]
    pub fn fail(&self) {
        self.bad.set(true);
    }

    /// A number field.
    #[inline(never)]
    pub fn num(&self, key: &str) -> Option<f64> {
        self.ok(number(self.f, key))
    }

    /// A number or a string field.
    #[inline(never)]
    pub fn num_or_str(&self, key: &str) -> Option<crate::wire::NumOrStr> {
        self.ok(crate::wire::NumOrStr::read(self.f, key))
    }

    /// A boolean, or a string ("true" in any case is true).
    #[inline(never)]
    pub fn flag(&self, key: &str) -> Option<bool> {
        let v = self.f.get(key)?;
        if let Some(b) = v.flag() {
            return Some(b);
        }
        self.ok(Ok(v.text()))
            .map(|s| s.eq_ignore_ascii_case("true"))
            .or_else(|| {
                self.bad.set(true);
                None
            })
    }

    /// An object field read with `read`.
    pub fn obj<T>(&self, key: &str, read: impl Fn(&F) -> Result<T, Bad>) -> Option<T> {
        self.ok(object(self.f, key, read))
    }

    /// An array field whose elements are read with `read`.
    pub fn list<T>(&self, key: &str, read: impl Fn(&F) -> Result<T, Bad>) -> Option<Vec<T>> {
        self.ok(list(self.f, key, read))
    }

    /// `value`, unless a field had the wrong type (or this was not an object).
    pub fn finish<T>(self, value: T) -> Result<T, Bad> {
        if self.bad.get() {
            Err(Bad)
        } else {
            Ok(value)
        }
    }
}

#[cfg(test)]
impl Fields for serde_json::Value {
    fn get(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).filter(|v| !v.is_null()).cloned()
    }
    fn text(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn flag(&self) -> Option<bool> {
        self.as_bool()
    }
    fn is_object(&self) -> bool {
        serde_json::Value::is_object(self)
    }
    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
}
