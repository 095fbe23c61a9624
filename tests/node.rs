//! DOM-free layer, run in Node by `wasm-pack test --node -- --test node`: what works without a page
//! (edge workers, Node): window sizing, browser-info defaults, Assist parsing, option and URL checks.

use gateway_checkout::api::checkout::version;
use gateway_checkout::api::primitives::{
    collect_browser_info, parse_assist_three_ds_data, pick_challenge_window_size,
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

#[wasm_bindgen_test]
fn a_server_renderers_stand_in_window_and_document_are_no_page() {
    // Server-side renderers often define `window = {}` or a `document` without the DOM: the module must treat
    // them as no page, as it does in plain Node, never throw from them.
    let global = js_sys::global();
    let fake = JSON::parse("{}").unwrap();
    Reflect::set(&global, &"window".into(), &fake).unwrap();
    Reflect::set(&global, &"document".into(), &fake).unwrap();
    let opts = JSON::parse(
        r##"{"gatewayUrl":"https://3dsec.berekebank.kz/payment","token":"t","container":"#pay"}"##,
    )
    .unwrap();
    let made = Checkout::new(opts.unchecked_into());
    Reflect::delete_property(global.unchecked_ref::<js_sys::Object>(), &"window".into()).unwrap();
    Reflect::delete_property(global.unchecked_ref::<js_sys::Object>(), &"document".into()).unwrap();
    assert!(made.is_ok(), "{:?}", made.err().map(|e| get(&e, "code")));
}

// ---- Paying from Node (an edge worker or a server holding no page) against the running sandbox ----

fn sandbox() -> &'static str {
    match option_env!("SANDBOX_URL") {
        Some(url) => url,
        None => panic!("SANDBOX_URL is not set: run the wasm tests through scripts/test.sh"),
    }
}

fn token() -> &'static str {
    match option_env!("SANDBOX_TOKEN") {
        Some(token) => token,
        None => panic!("SANDBOX_TOKEN is not set: run the wasm tests through scripts/test.sh"),
    }
}

/// POSTs JSON with Node's global fetch and returns the parsed answer.
async fn post_json(path: &str, body: &str) -> JsValue {
    let fetch: js_sys::Function = Reflect::get(&js_sys::global(), &"fetch".into())
        .unwrap()
        .unchecked_into();
    let init =
        JSON::parse(r#"{"method":"POST","headers":{"Content-Type":"application/json"}}"#).unwrap();
    Reflect::set(&init, &"body".into(), &body.into()).unwrap();
    let url = format!("{}{}", sandbox(), path);
    let resp = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(
        fetch.call2(&JsValue::NULL, &url.into(), &init).unwrap(),
    ))
    .await
    .unwrap();
    let json: js_sys::Function = Reflect::get(&resp, &"json".into())
        .unwrap()
        .unchecked_into();
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(json.call0(&resp).unwrap()))
        .await
        .unwrap()
}

fn node_checkout() -> Checkout {
    let options = JSON::parse(&format!(
        r#"{{"gatewayUrl":"{}/payment","token":"{}","sandbox":true,"challengeMode":"redirect","language":"en"}}"#,
        sandbox(),
        token()
    ))
    .unwrap();
    Checkout::new(options.unchecked_into()).unwrap_or_else(|_| panic!("options refused"))
}

async fn settle(p: impl Into<JsValue>) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(p.into())).await
}

#[wasm_bindgen_test]
async fn node_pays_a_card_that_needs_no_page() {
    let order = post_json(
        "/shop/orders",
        r#"{"amount":990,"currency":"398","returnUrl":"http://localhost/return","language":"en"}"#,
    )
    .await;
    let order_id = get(&order, "orderId").as_string().expect("orderId");
    let request = JSON::parse(&format!(
        r#"{{"orderId":"{order_id}","pan":"4444555511113333","expiry":"12/30","cvc":"123","cardholder":"EDGE WORKER"}}"#
    ))
    .unwrap();
    let outcome = settle(node_checkout().pay_card(request.unchecked_into()))
        .await
        .expect("paid");
    assert_eq!(get(&outcome, "status").as_string().as_deref(), Some("paid"));
    assert_eq!(get(&outcome, "orderStatus").as_f64(), Some(2.0));
}

#[wasm_bindgen_test]
async fn node_hands_a_wallet_token_to_the_gateway() {
    let token = JSON::stringify(&JSON::parse(r#"{"version":"EC_v1","data":"sandbox:approve","signature":"sandbox","header":{"transactionId":"sandbox"}}"#).unwrap())
        .unwrap()
        .as_string()
        .unwrap();
    let number = format!("node{}", (js_sys::Math::random() * 1e12) as u64);
    let request = JSON::parse(&format!(
        r#"{{"merchant":"test_user","orderNumber":"{number}","paymentToken":{token}}}"#
    ))
    .unwrap();
    let outcome = settle(node_checkout().pay_apple_pay(request.unchecked_into()))
        .await
        .expect("paid");
    assert_eq!(get(&outcome, "status").as_string().as_deref(), Some("paid"));
}
