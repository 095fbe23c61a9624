//! dynamicCallbackUrl notifications: `GET url?mdOrder=…&orderNumber=…&operation=…&status=…&checksum=…`.
//!
//! checksum = HMAC-SHA256 (key: the sandbox callback secret) over the parameters except checksum,
//! sorted by name, joined as `name;value;`, upper-case hex. Only loopback URLs are called.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::store::{CallbackJob, CallbackRecord};
use crate::time::now_ms;
use crate::AppState;

/// The checksum of a callback's parameters.
pub fn checksum(secret: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> =
        params.iter().filter(|(k, _)| k != "checksum").collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let data: String = sorted.iter().map(|(k, v)| format!("{k};{v};")).collect();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(data.as_bytes());
    hex::encode_upper(mac.finalize().into_bytes())
}

/// Sends the jobs in the background and records each one under `GET /sandbox/callbacks`.
pub fn dispatch(app: &AppState, jobs: Vec<CallbackJob>) {
    for job in jobs {
        let mut params = job.params.clone();
        params.push((
            "checksum".into(),
            checksum(&app.config.callback_secret, &job.params),
        ));
        let url = crate::http::with_query(
            &job.url,
            &params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        );
        let record_params = serde_json::Value::Object(
            params
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect(),
        );
        if !crate::client::is_loopback_url(&job.url) {
            app.lock().callbacks.push(CallbackRecord {
                at: now_ms(),
                url,
                params: record_params,
                sent: false,
                result: "skipped: the sandbox calls loopback http:// URLs only".into(),
            });
            continue;
        }
        let app = app.clone();
        tokio::spawn(async move {
            let result =
                crate::client::request("GET", &url, &[], b"", Duration::from_secs(5)).await;
            let (sent, result) = match result {
                Ok(r) => (true, format!("HTTP {}", r.status)),
                Err(e) => (false, format!("error: {e}")),
            };
            app.lock().callbacks.push(CallbackRecord {
                at: now_ms(),
                url,
                params: record_params,
                sent,
                result,
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_sorts_and_joins() {
        let p = vec![
            ("status".to_string(), "1".to_string()),
            ("mdOrder".to_string(), "x".to_string()),
        ];
        let mut mac = Hmac::<Sha256>::new_from_slice(b"k").unwrap();
        mac.update(b"mdOrder;x;status;1;");
        assert_eq!(
            checksum("k", &p),
            hex::encode_upper(mac.finalize().into_bytes())
        );
    }
}
