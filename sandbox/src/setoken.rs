//! seToken: `GET /payment/se/keys.do` gives the RSA public key; card data arrives as
//! base64(RSA-PKCS#1-v1.5(`timestamp/uuid/PAN/CVC/YYYYMM/mdOrder[/bindingId]`)).
//!
//! The key pair is fixed and public (src/setoken_key.pem): this is a sandbox, nothing is secret.

use axum::extract::State;
use axum::response::Response;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey};
use serde_json::json;

use crate::http::ok_json;
use crate::AppState;

const PRIVATE_KEY_PEM: &str = include_str!("setoken_key.pem");

pub struct SeKey {
    private: RsaPrivateKey,
    /// `-----BEGIN PUBLIC KEY-----<base64 DER>-----END PUBLIC KEY-----` on one line, as the gateway serves it.
    pub public_pem: String,
}

/// The card data inside a seToken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeData {
    pub timestamp: String,
    pub uuid: String,
    pub pan: String,
    pub cvc: String,
    /// YYYYMM
    pub expiry: String,
    pub md_order: String,
    pub binding_id: String,
}

impl SeKey {
    pub fn load() -> SeKey {
        let private = RsaPrivateKey::from_pkcs8_pem(PRIVATE_KEY_PEM).expect("embedded sandbox key");
        let pem = private
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("public key PEM");
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        SeKey {
            private,
            public_pem: format!("-----BEGIN PUBLIC KEY-----{body}-----END PUBLIC KEY-----"),
        }
    }

    /// Decrypts and splits a seToken; None when it is not one of ours.
    pub fn decrypt(&self, token: &str) -> Option<SeData> {
        let raw = crate::http::b64_any(token)?;
        let plain = self.private.decrypt(Pkcs1v15Encrypt, &raw).ok()?;
        let text = String::from_utf8(plain).ok()?;
        let parts: Vec<&str> = text.split('/').collect();
        if parts.len() < 6 {
            return None;
        }
        Some(SeData {
            timestamp: parts[0].to_string(),
            uuid: parts[1].to_string(),
            pan: parts[2].to_string(),
            cvc: parts[3].to_string(),
            expiry: parts[4].to_string(),
            md_order: parts[5].to_string(),
            binding_id: parts.get(6).unwrap_or(&"").to_string(),
        })
    }
}

/// `GET /payment/se/keys.do`
pub async fn keys(State(app): State<AppState>) -> Response {
    let expiration = crate::time::now_ms() + 365 * 86_400_000;
    ok_json(json!({
        "keys": [{
            "keyValue": app.se_key.public_pem,
            "protocolVersion": "RSA",
            "keyExpiration": expiration,
        }]
    }))
}
