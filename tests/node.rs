//! DOM-free layer, run in Node by `wasm-pack test --node -- --test node`: what works without a page
//! (edge workers, Node): window sizing, browser-info defaults, Assist parsing, option and URL checks.

use gateway_checkout::api::primitives::{
    collect_browser_info, parse_assist_three_ds_data, pick_challenge_window_size, version,
};
use gateway_checkout::Checkout;
use js_sys::{Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn window_sizes_without_a_dom() {
    let codes: Vec<String> = [
        (1200.0, 900.0),
        (600.0, 400.0),
        (390.0, 400.0),
        (250.0, 400.0),
        (200.0, 300.0),
    ]
    .iter()
    .map(|(w, h)| {
        get(&pick_challenge_window_size(*w, *h).into(), "code")
            .as_string()
            .unwrap()
    })
    .collect();
    assert_eq!(codes, ["03", "04", "02", "01", "05"]);
}

#[wasm_bindgen_test]
fn browser_info_has_valid_defaults_in_node() {
    let info: JsValue = collect_browser_info(None).unwrap().into();
    let emvco = get(&info, "emvco");
    assert_eq!(
        get(&emvco, "browserJavascriptEnabled").as_bool(),
        Some(true)
    );
    assert_eq!(
        get(&emvco, "challengeWindowSize").as_string().as_deref(),
        Some("05")
    );
    let depth = get(&emvco, "browserColorDepth").as_string().unwrap();
    assert!(["1", "4", "8", "15", "16", "24", "32", "48"].contains(&depth.as_str()));
    assert!(!get(&emvco, "browserLanguage")
        .as_string()
        .unwrap()
        .is_empty());
}

#[wasm_bindgen_test]
fn assist_blocks_become_primitive_inputs() {
    let block = JSON::parse(r#"{"version":"2.2.0","challenge":"C","challengeurl":"https://acs.bank.example/creq","challengerequest":"eyJhIjoxfQ","threeDSMethodURL":"https://acs.bank.example/m","threeDSMethodData":"abc"}"#).unwrap();
    let plan: JsValue = parse_assist_three_ds_data(block.unchecked_into(), None)
        .unwrap()
        .into();
    assert_eq!(get(&plan, "flow").as_string().as_deref(), Some("challenge"));
    assert_eq!(
        get(&get(&plan, "challenge"), "acsUrl")
            .as_string()
            .as_deref(),
        Some("https://acs.bank.example/creq")
    );
    assert_eq!(
        get(&get(&plan, "method"), "threeDSMethodData")
            .as_string()
            .as_deref(),
        Some("abc")
    );
    let xml = JsValue::from_str(
        "<threedsdata><version>2.0</version><challenge>D</challenge></threedsdata>",
    );
    let plan: JsValue = parse_assist_three_ds_data(xml.unchecked_into(), None)
        .unwrap()
        .into();
    assert_eq!(get(&plan, "flow").as_string().as_deref(), Some("decoupled"));
    let bad = JSON::parse(
        r#"{"challenge":"C","challengeurl":"javascript:alert(1)","challengerequest":"x"}"#,
    )
    .unwrap();
    let err = parse_assist_three_ds_data(bad.unchecked_into(), None)
        .err()
        .expect("refused");
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("unsafe_url"));
}

#[wasm_bindgen_test]
fn checkout_options_are_checked_without_a_page() {
    let opts = JSON::parse(r#"{"gatewayUrl":"javascript:alert(1)","token":"t"}"#).unwrap();
    let err = Checkout::new(opts.unchecked_into()).err().unwrap();
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("unsafe_url"));
    assert_eq!(
        get(&err, "name").as_string().as_deref(),
        Some("CheckoutError")
    );
    let opts = JSON::parse(r#"{"gatewayUrl":"https://3dsec.berekebank.kz/payment","token":"t","challengeMode":"redirect"}"#).unwrap();
    assert!(Checkout::new(opts.unchecked_into()).is_ok());
}
