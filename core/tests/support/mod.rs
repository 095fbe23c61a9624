//! The tests read the gateway's answers from JSON text through the same `Fields` readers the browser uses
//! on parsed JS objects.
#![allow(dead_code)]

use checkout_core::fields::Fields;
use checkout_core::wallet::WalletAnswer;
use checkout_core::wire::GatewayAnswer;

/// serde_json's value as `Fields` (a local type: the orphan rule).
pub struct Json(pub serde_json::Value);

impl Fields for Json {
    fn get(&self, key: &str) -> Option<Self> {
        self.0
            .as_object()?
            .get(key)
            .filter(|v| !v.is_null())
            .cloned()
            .map(Json)
    }
    fn text(&self) -> Option<String> {
        self.0.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }
    fn flag(&self) -> Option<bool> {
        self.0.as_bool()
    }
    fn is_object(&self) -> bool {
        self.0.is_object()
    }
    fn items(&self) -> Option<Vec<Self>> {
        self.0
            .as_array()
            .map(|a| a.iter().cloned().map(Json).collect())
    }
}

/// A gateway answer from JSON text; panics on text that is not an answer.
pub fn gateway_answer(json: &str) -> GatewayAnswer {
    GatewayAnswer::read(&Json(serde_json::from_str(json).unwrap())).unwrap()
}

/// A wallet answer from JSON text, or Err when it is not one.
pub fn wallet_answer(json: &str) -> Result<WalletAnswer, ()> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|_| ())?;
    WalletAnswer::read(&Json(v)).map_err(|_| ())
}
