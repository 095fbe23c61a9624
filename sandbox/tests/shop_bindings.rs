//! `GET /shop/bindings`: the demo merchant's server lists the shopper's saved cards with getBindings.do and
//! its password (seed 003 "Байламдарды алу", clientId), so the page never lists cards with the public token.

mod common;

use common::*;

#[tokio::test]
async fn lists_the_shoppers_saved_cards_through_the_merchants_server() {
    let s = start().await;
    assert_eq!(
        s.get("/shop/bindings").await.status,
        400,
        "clientId is required"
    );
    let none = s.get("/shop/bindings?clientId=nobody-yet").await;
    assert_eq!(none.status, 200);
    assert_eq!(none.json()["bindings"], serde_json::json!([]));
    let order = s.register("1000", &[("clientId", "shopper-7")]).await;
    let paid = s.pay(&order, "4444555511113333", &[]).await;
    assert_eq!(paid["errorCode"], 0, "{paid}");
    let list = s.get("/shop/bindings?clientId=shopper-7").await.json();
    let b = &list["bindings"][0];
    assert!(
        b["bindingId"].as_str().is_some_and(|id| !id.is_empty()),
        "{list}"
    );
    assert_eq!(b["maskedPan"], "444455**3333");
    // Only what the page needs: no card number, no other client's cards.
    assert!(!list.to_string().contains("4444555511113333"));
    let log = s
        .get("/sandbox/requests?path=/payment/rest/getBindings.do")
        .await
        .json();
    let last = log.as_array().unwrap().last().unwrap();
    assert_eq!(
        last["params"]["userName"], "test_user",
        "the merchant's own login, server-side"
    );
}
