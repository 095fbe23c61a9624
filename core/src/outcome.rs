//! The typed result of a payment, always read from the gateway's getOrderStatusExtended.do.

use crate::prelude::*;
use crate::value::{Obj, Value};
use crate::wire::{GatewayAnswer, NumOrStr};

/// How the payment ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutcomeKind {
    /// orderStatus 2: the money is taken.
    Paid,
    /// orderStatus 1: held (two-stage); the merchant completes it with deposit.do.
    Authorized,
    /// orderStatus 6 (or a failed attempt): not paid; `reason` says why.
    Declined,
    /// orderStatus 3: the authorisation was cancelled (reverse.do): the money was held, then released.
    Reversed,
    /// orderStatus 4: the payment was refunded (refund.do).
    Refunded,
    /// orderStatus 5 (decoupled authentication, or not final yet) or 0 after an unfinished attempt.
    Pending,
}

/// What `payCard` resolves to.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub status: OutcomeKind,
    pub order_id: String,
    pub order_status: Option<i64>,
    pub action_code: Option<i64>,
    /// The gateway's reason (actionCodeDescription), for declines especially.
    pub reason: Option<String>,
    pub masked_pan: Option<String>,
    pub payment_state: Option<String>,
    pub amount: Option<i64>,
    pub currency: Option<String>,
    /// Declined, and the gateway takes no more payment attempts for this order (its attempt limit): a new order
    /// is the only way to let the shopper try again.
    pub attempts_exhausted: bool,
}

/// Whether the flow that led to this status check had already failed (a failUrl redirect, an error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptEnd {
    Completed,
    Failed,
    /// The payment request answered a redirect with no error and no 3DS: the attempt is over, paid or not. Seed
    /// 003: once an order's attempts are used up, the last attempt and every later one answer this way ("the
    /// gateway returns no error"), where a decline before the limit carries an `error`. A decline after it is an
    /// order that takes no more attempts, unless its status shows the card just sent (the last four digits given
    /// here, None for a saved card): then it is that card's own decline.
    Redirected(Option<[u8; 4]>),
    /// The payment request was refused with errorCode 5 "payment attempts are finished" (seed 003's table, the other
    /// shape of the attempt limit): untried, whichever card the status shows.
    Exhausted,
}

impl OutcomeKind {
    /// The `status` string of the outcome object.
    pub fn code(self) -> &'static str {
        match self {
            OutcomeKind::Paid => "paid",
            OutcomeKind::Authorized => "authorized",
            OutcomeKind::Declined => "declined",
            OutcomeKind::Reversed => "reversed",
            OutcomeKind::Refunded => "refunded",
            OutcomeKind::Pending => "pending",
        }
    }
}

impl Outcome {
    /// The object payCard resolves with: status, orderId, and the gateway's details it sent.
    pub fn to_value(&self) -> Value {
        let o = Obj::new()
            .str("status", self.status.code())
            .str("orderId", self.order_id.as_str())
            .opt_int("orderStatus", self.order_status)
            .opt_int("actionCode", self.action_code)
            .opt_str("reason", self.reason.as_deref())
            .opt_str("maskedPan", self.masked_pan.as_deref())
            .opt_str("paymentState", self.payment_state.as_deref())
            .opt_int("amount", self.amount)
            .opt_str("currency", self.currency.as_deref());
        // Only when true: an outcome without it may take another attempt.
        match self.attempts_exhausted {
            true => o.bool("attemptsExhausted", true).into(),
            false => o.into(),
        }
    }

    /// Maps a getOrderStatusExtended.do answer. None when the answer has no usable orderStatus.
    pub fn from_status(
        order_id: &str,
        answer: &GatewayAnswer,
        attempt: AttemptEnd,
    ) -> Option<Outcome> {
        let status = answer.order_status.as_ref().and_then(NumOrStr::int)?;
        let payment_state = answer
            .payment_amount_info
            .as_ref()
            .and_then(|p| p.payment_state.clone());
        let declined_state = payment_state.as_deref() == Some("DECLINED");
        let kind = match status {
            2 => OutcomeKind::Paid,
            1 => OutcomeKind::Authorized,
            3 => OutcomeKind::Reversed,
            4 => OutcomeKind::Refunded,
            6 => OutcomeKind::Declined,
            5 => OutcomeKind::Pending,
            0 if declined_state
                || matches!(attempt, AttemptEnd::Failed | AttemptEnd::Exhausted) =>
            {
                OutcomeKind::Declined
            }
            0 => OutcomeKind::Pending,
            _ => return None,
        };
        let masked_pan = answer
            .card_auth_info
            .as_ref()
            .and_then(|c| c.masked_pan.clone());
        let shown_last4 = masked_pan
            .as_deref()
            .and_then(|m| m.as_bytes().last_chunk::<4>().copied());
        let attempts_exhausted = kind == OutcomeKind::Declined
            && match attempt {
                AttemptEnd::Redirected(sent) => sent.is_none() || sent != shown_last4,
                AttemptEnd::Exhausted => true,
                _ => false,
            };
        // Out of attempts, the status describes the order's last card, not the one just refused untried.
        let own = !attempts_exhausted;
        Some(Outcome {
            status: kind,
            order_id: order_id.to_owned(),
            order_status: Some(status),
            action_code: answer
                .action_code
                .as_ref()
                .and_then(NumOrStr::int)
                .filter(|_| own),
            reason: GatewayAnswer::str_field(&answer.action_code_description)
                .filter(|_| own)
                .map(str::to_owned),
            masked_pan: masked_pan.filter(|_| own),
            payment_state,
            amount: answer.amount.as_ref().and_then(NumOrStr::int),
            currency: answer.currency.as_ref().map(NumOrStr::text),
            attempts_exhausted,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(json: &str, attempt: AttemptEnd) -> Option<Outcome> {
        Outcome::from_status("o-1", &GatewayAnswer::parse(json), attempt)
    }

    #[test]
    fn maps_every_order_status() {
        let kind = |s: &str| status(s, AttemptEnd::Completed).map(|o| o.status);
        assert_eq!(kind(r#"{"orderStatus":2}"#), Some(OutcomeKind::Paid));
        assert_eq!(
            kind(r#"{"orderStatus":"1"}"#),
            Some(OutcomeKind::Authorized)
        );
        // Seed 004 / GATEWAY.md: "3 authorisation cancelled (reversed); 4 refunded": not declines.
        assert_eq!(kind(r#"{"orderStatus":3}"#), Some(OutcomeKind::Reversed));
        assert_eq!(kind(r#"{"orderStatus":4}"#), Some(OutcomeKind::Refunded));
        assert_eq!(kind(r#"{"orderStatus":5}"#), Some(OutcomeKind::Pending));
        assert_eq!(kind(r#"{"orderStatus":6}"#), Some(OutcomeKind::Declined));
        assert_eq!(kind(r#"{"orderStatus":0}"#), Some(OutcomeKind::Pending));
        assert_eq!(
            kind(r#"{"orderStatus":0,"paymentAmountInfo":{"paymentState":"DECLINED"}}"#),
            Some(OutcomeKind::Declined)
        );
        assert_eq!(
            status(r#"{"orderStatus":0}"#, AttemptEnd::Failed).map(|o| o.status),
            Some(OutcomeKind::Declined)
        );
        assert_eq!(kind(r#"{"orderStatus":9}"#), None);
        assert_eq!(
            kind(r#"{"errorCode":"6","errorMessage":"Unknown order"}"#),
            None
        );
    }

    #[test]
    fn carries_the_gateway_details() {
        let o = status(
            r#"{"orderStatus":6,"actionCode":116,"actionCodeDescription":"Insufficient funds","amount":2000,"currency":"398",
            "cardAuthInfo":{"maskedPan":"400000**5557"},"paymentAmountInfo":{"paymentState":"DECLINED"}}"#,
            AttemptEnd::Completed,
        )
        .unwrap();
        assert_eq!(o.action_code, Some(116));
        assert_eq!(o.reason.as_deref(), Some("Insufficient funds"));
        assert_eq!(o.masked_pan.as_deref(), Some("400000**5557"));
        assert_eq!(o.amount, Some(2000));
        assert_eq!(o.currency.as_deref(), Some("398"));
        assert_eq!(
            o.to_value().to_json(),
            r#"{"status":"declined","orderId":"o-1","orderStatus":6,"actionCode":116,"reason":"Insufficient funds","maskedPan":"400000**5557","paymentState":"DECLINED","amount":2000,"currency":"398"}"#
        );
    }

    #[test]
    fn a_decline_after_a_redirect_without_error_is_out_of_attempts() {
        let exhausted = |s: &str, end| status(s, end).map(|o| o.attempts_exhausted);
        let sent = AttemptEnd::Redirected(Some(*b"3333"));
        // Another card's decline on the order (its last card): the one just sent was not tried.
        let other = r#"{"orderStatus":6,"actionCode":116,"actionCodeDescription":"Insufficient funds","cardAuthInfo":{"maskedPan":"400000**5557"}}"#;
        assert_eq!(exhausted(other, sent), Some(true));
        // What the status says belongs to that other card: not shown as this one's.
        assert_eq!(
            status(other, sent).unwrap().to_value().to_json(),
            r#"{"status":"declined","orderId":"o-1","orderStatus":6,"attemptsExhausted":true}"#
        );
        // The card just sent declined (the attempt that reached the limit, or before it): its own decline.
        let own =
            r#"{"orderStatus":6,"actionCode":116,"cardAuthInfo":{"maskedPan":"444455**3333"}}"#;
        assert_eq!(exhausted(own, sent), Some(false));
        assert_eq!(status(own, sent).unwrap().action_code, Some(116));
        // A saved card (no number here): the answer's shape decides.
        assert_eq!(
            exhausted(r#"{"orderStatus":6}"#, AttemptEnd::Redirected(None)),
            Some(true)
        );
        // Paid after a redirect; declined after an answer with an error (the limit not reached) or none.
        assert_eq!(exhausted(r#"{"orderStatus":2}"#, sent), Some(false));
        assert_eq!(
            exhausted(r#"{"orderStatus":6}"#, AttemptEnd::Failed),
            Some(false)
        );
        assert_eq!(
            exhausted(r#"{"orderStatus":6}"#, AttemptEnd::Completed),
            Some(false)
        );
    }
}
