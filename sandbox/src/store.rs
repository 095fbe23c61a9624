//! In-memory gateway state: orders, 3DS transactions, bindings, the request log, faults and the
//! callback outbox. Everything sits behind one `std::sync::Mutex`, never held across an await.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::cards::Flow;
use crate::i18n::{Lang, Msg};
use crate::time::now_ms;

/// Failed payment attempts allowed per order.
pub const ATTEMPT_LIMIT: u32 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PaymentState {
    #[serde(rename = "CREATED")]
    Created,
    #[serde(rename = "APPROVED")]
    Approved,
    #[serde(rename = "DEPOSITED")]
    Deposited,
    #[serde(rename = "DECLINED")]
    Declined,
    #[serde(rename = "REVERSED")]
    Reversed,
    #[serde(rename = "REFUNDED")]
    Refunded,
}

#[derive(Clone, Debug)]
pub struct CardInfo {
    pub masked_pan: String,
    /// YYYYMM
    pub expiration: String,
    pub holder: String,
    pub approval_code: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Order {
    pub id: String,
    pub number: String,
    pub amount: u64,
    pub currency: String,
    pub two_stage: bool,
    pub return_url: String,
    pub fail_url: Option<String>,
    pub description: String,
    pub language: Lang,
    pub client_id: Option<String>,
    pub callback_url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub params: Vec<(String, String)>,
    pub features: Vec<String>,
    pub created_ms: u64,
    pub expires_ms: u64,
    pub status: u8,
    pub action_code: i64,
    pub action_msg: Msg,
    pub state: PaymentState,
    pub approved: u64,
    pub deposited: u64,
    pub refunded: u64,
    pub card: Option<CardInfo>,
    pub flow: Option<Flow>,
    pub binding_id: Option<String>,
    pub binding_not_needed: bool,
    pub ip: Option<String>,
    pub failed_attempts: u32,
    pub exhausted: bool,
    pub expired: bool,
    pub tds2: Option<String>,
    pub finish_url: Option<String>,
    pub method_notification_url: Option<String>,
    pub browser_info: Option<serde_json::Value>,
    pub auth_ms: Option<u64>,
    pub auth_ref: Option<String>,
    pub pa_req: Option<String>,
    pub eci: Option<&'static str>,
    pub payment_way: &'static str,
}

impl Order {
    pub fn new(
        id: String,
        number: String,
        amount: u64,
        currency: String,
        return_url: String,
    ) -> Order {
        let now = now_ms();
        Order {
            id,
            number,
            amount,
            currency,
            two_stage: false,
            return_url,
            fail_url: None,
            description: String::new(),
            language: Lang::Ru,
            client_id: None,
            callback_url: None,
            email: None,
            phone: None,
            params: Vec::new(),
            features: Vec::new(),
            created_ms: now,
            expires_ms: now + 1_200_000,
            status: 0,
            action_code: -100,
            action_msg: Msg::ActNoAttempts,
            state: PaymentState::Created,
            approved: 0,
            deposited: 0,
            refunded: 0,
            card: None,
            flow: None,
            binding_id: None,
            binding_not_needed: false,
            ip: None,
            failed_attempts: 0,
            exhausted: false,
            expired: false,
            tds2: None,
            finish_url: None,
            method_notification_url: None,
            browser_info: None,
            auth_ms: None,
            auth_ref: None,
            pa_req: None,
            eci: None,
            payment_way: "CARD",
        }
    }

    pub fn has_feature(&self, f: &str) -> bool {
        self.features.iter().any(|x| x == f)
    }

    /// Status 1 or 2 or later stages of a successful payment.
    pub fn is_paid(&self) -> bool {
        matches!(self.status, 1..=4)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the methods and continue.do.
    Method,
    /// Soft decline answered: waiting for paymentorder.do repeated with this id.
    AwaitRepeat,
    /// Challenge issued: waiting for the CRes.
    Challenge,
    /// CRes received (transStatus), payment not completed yet (finish3dsVer2Payment.do).
    Result,
    /// Payment completed.
    Done,
}

#[derive(Clone, Debug)]
pub struct Tds {
    pub id: String,
    pub order_id: String,
    pub acs_trans_id: String,
    pub flow: Flow,
    pub created_ms: u64,
    pub gather_ms: Option<u64>,
    pub acs_method_ms: Option<u64>,
    pub notification_ms: Option<u64>,
    pub comp_ind: Option<String>,
    pub phase: Phase,
    pub trans_status: Option<String>,
    pub cancelled: bool,
    /// Created by a soft decline: the repeated paymentorder.do answers the challenge.
    pub repeat: bool,
    pub window_size: Option<String>,
}

impl Tds {
    pub fn new(order_id: &str, flow: Flow) -> Tds {
        Tds {
            id: uuid::Uuid::new_v4().to_string(),
            order_id: order_id.to_string(),
            acs_trans_id: uuid::Uuid::new_v4().to_string(),
            flow,
            created_ms: now_ms(),
            gather_ms: None,
            acs_method_ms: None,
            notification_ms: None,
            comp_ind: None,
            phase: Phase::Method,
            trans_status: None,
            cancelled: false,
            repeat: false,
            window_size: None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Binding {
    pub binding_id: String,
    pub client_id: String,
    pub masked_pan: String,
    pub expiry_date: String,
    #[serde(skip)]
    pub flow: Flow,
}

#[derive(Clone, Debug, Serialize)]
pub struct LoggedRequest {
    /// Epoch milliseconds.
    pub at: u64,
    pub method: String,
    pub path: String,
    pub params: serde_json::Value,
    #[serde(rename = "orderId", skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultKind {
    Http500,
    Html,
    MalformedJson,
    DelayMs(u64),
    Drop,
    MethodNeverLoads,
    AcsNeverReturns,
    /// Processed at once, the answer held back N ms.
    AnswerLateMs(u64),
    /// Processed, then the connection is closed with no answer.
    DropAfterProcessing,
    /// The handler starts after N ms (the order is marked processing meanwhile), then answers.
    ProcessSlowlyMs(u64),
    /// Processed, then answered with HTTP 500 text/plain.
    Http500AfterProcessing,
    /// Processed, then answered with the HTML "Service temporarily unavailable" page.
    HtmlAfterProcessing,
    /// Processed, then the normal answer with a UTF-8 byte order mark before it (some gateway front ends add
    /// one; RFC 8259 lets a JSON reader ignore it).
    BomAfterProcessing,
    /// Processed, then the normal answer with the types of seed 003's field tables where its examples differ:
    /// cardAuthInfo.expiration as an Integer (YYYYMM), not a string.
    TableTypesAfterProcessing,
    /// Processed, then answered 303 See Other to this absolute URL: a bank's page that sends the browser on
    /// elsewhere (another host of the ACS, a stand-in page) after the post arrived.
    RedirectAfterProcessing(String),
    /// Not processed: 200 JSON `{"errorCode":0,"junk":"xxx…"}` with a string of N bytes.
    HugeAnswer(u64),
    /// Not processed: 200 JSON `{"errorCode":0,"junk":[[…]]}` nested N arrays deep.
    NestedAnswer(u64),
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub path: String,
    pub order_id: Option<String>,
    pub kind: FaultKind,
    pub remaining: u32,
}

/// One charge the sandbox made: an order moved into status 1 (held) or 2 (deposited) from an
/// unpaid status. deposit.do of a held order is not a charge and adds no entry.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Charge {
    /// Epoch milliseconds.
    pub at: u64,
    pub order_id: String,
    pub order_number: String,
    pub amount: u64,
    pub currency: String,
    /// 1 = held (two-stage), 2 = deposited (one-stage).
    pub status: u8,
    /// The request path that caused the charge.
    pub via: String,
    /// Always `"charge"`.
    pub kind: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct CallbackJob {
    pub url: String,
    pub params: Vec<(String, String)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CallbackRecord {
    pub at: u64,
    pub url: String,
    pub params: serde_json::Value,
    pub sent: bool,
    pub result: String,
}

#[derive(Default)]
pub struct State {
    pub orders: HashMap<String, Order>,
    pub numbers: HashMap<String, String>,
    pub tds: HashMap<String, Tds>,
    pub bindings: Vec<Binding>,
    pub requests: Vec<LoggedRequest>,
    pub faults: Vec<Fault>,
    pub outbox: Vec<CallbackJob>,
    pub callbacks: Vec<CallbackRecord>,
    pub next_number: u64,
    /// Every charge ever made, in order (never deduplicated).
    pub ledger: Vec<Charge>,
    /// Orders whose payment request is being processed right now.
    pub processing: HashSet<String>,
}

impl State {
    /// Takes (and counts down) the first fault matching `path` and `order`. `acs` selects the
    /// `acsNeverReturns` fault (applied by the ACS pages) instead of the transport faults (applied by the
    /// request middleware, src/http.rs). Faults are state: control.rs adds them, the pages take them.
    pub fn take_fault(&mut self, path: &str, order: Option<&str>, acs: bool) -> Option<FaultKind> {
        let idx = self.faults.iter().position(|f| {
            (f.path == path || f.path == "*")
                && (acs == (f.kind == FaultKind::AcsNeverReturns))
                && match (&f.order_id, order) {
                    (None, _) => true,
                    (Some(want), Some(got)) => want == got,
                    (Some(_), None) => false,
                }
        })?;
        let kind = self.faults[idx].kind.clone();
        self.faults[idx].remaining = self.faults[idx].remaining.saturating_sub(1);
        if self.faults[idx].remaining == 0 {
            self.faults.remove(idx);
        }
        Some(kind)
    }

    pub fn new_number(&mut self) -> String {
        loop {
            self.next_number += 1;
            let n = (10_000 + self.next_number).to_string();
            if !self.numbers.contains_key(&n) {
                return n;
            }
        }
    }

    pub fn insert_order(&mut self, order: Order) {
        self.numbers.insert(order.number.clone(), order.id.clone());
        self.orders.insert(order.id.clone(), order);
    }

    /// The order, after applying its expiry (sessionTimeoutSecs / expirationDate).
    pub fn order(&mut self, id: &str) -> Option<&mut Order> {
        let expire = match self.orders.get(id) {
            Some(o) => !o.expired && matches!(o.status, 0 | 5) && now_ms() > o.expires_ms,
            None => return None,
        };
        if expire {
            let o = self.orders.get_mut(id)?;
            o.expired = true;
            o.status = 6;
            o.state = PaymentState::Declined;
            o.action_code = -2007;
            o.action_msg = Msg::ActTimeout;
            let job = callback_job(o, "declinedByTimeout", false);
            self.outbox.extend(job);
        }
        self.orders.get_mut(id)
    }

    pub fn order_id_by_number(&self, number: &str) -> Option<String> {
        self.numbers.get(number).cloned()
    }

    /// Marks the order paid (held for two-stage, deposited for one-stage), records the charge in
    /// the ledger (`via` = the request path) and makes a binding. An order that is already paid
    /// (status 1..=4) is never paid again: returns false and changes nothing.
    pub fn approve(&mut self, id: &str, via: &str) -> bool {
        let Some(o) = self.orders.get_mut(id) else {
            return false;
        };
        if o.is_paid() {
            return false;
        }
        // A VERIFY order (seeds 003, 004): "after successful registration the order goes straight to REVERSED";
        // nothing is taken, and with a clientId the card is saved all the same.
        let verify = o.features.iter().any(|f| f == "VERIFY");
        o.status = if verify {
            3
        } else if o.two_stage {
            1
        } else {
            2
        };
        o.state = if verify {
            PaymentState::Reversed
        } else if o.two_stage {
            PaymentState::Approved
        } else {
            PaymentState::Deposited
        };
        o.approved = if verify { 0 } else { o.amount };
        o.deposited = if o.two_stage || verify { 0 } else { o.amount };
        o.action_code = 0;
        o.action_msg = Msg::ActApproved;
        o.auth_ms = Some(now_ms());
        o.auth_ref = Some(format!("{:012}", rand::random::<u64>() % 1_000_000_000_000));
        if let Some(c) = o.card.as_mut() {
            c.approval_code = Some(format!("{:06}", rand::random::<u32>() % 1_000_000));
        }
        let op = if verify {
            "reversed"
        } else if o.two_stage {
            "approved"
        } else {
            "deposited"
        };
        let job = callback_job(o, op, true);
        let charge = Charge {
            at: now_ms(),
            order_id: o.id.clone(),
            order_number: o.number.clone(),
            amount: o.amount,
            currency: o.currency.clone(),
            status: o.status,
            via: via.to_string(),
            kind: "charge",
        };
        let binding = match (&o.client_id, &o.card, o.binding_not_needed, o.payment_way) {
            (Some(client), Some(card), false, "CARD") => {
                Some((client.clone(), card.clone(), o.flow.unwrap_or(Flow::NoTds)))
            }
            _ => None,
        };
        self.outbox.extend(job);
        if !verify {
            self.ledger.push(charge);
        }
        if let Some((client, card, flow)) = binding {
            let existing = self
                .bindings
                .iter()
                .find(|b| {
                    b.client_id == client
                        && b.masked_pan == card.masked_pan
                        && b.expiry_date == card.expiration
                })
                .map(|b| b.binding_id.clone());
            let bid = existing.unwrap_or_else(|| {
                let bid = uuid::Uuid::new_v4().to_string();
                self.bindings.push(Binding {
                    binding_id: bid.clone(),
                    client_id: client,
                    masked_pan: card.masked_pan,
                    expiry_date: card.expiration,
                    flow,
                });
                bid
            });
            if let Some(o) = self.orders.get_mut(id) {
                o.binding_id = Some(bid);
            }
        }
        true
    }

    /// Declines the payment attempt. Returns true when this decline used up the last attempt.
    /// A paid order is never declined (nothing changes).
    pub fn decline(&mut self, id: &str, code: i64, msg: Msg) -> bool {
        let Some(o) = self.orders.get_mut(id) else {
            return false;
        };
        if o.is_paid() {
            return false;
        }
        o.status = 6;
        o.state = PaymentState::Declined;
        o.action_code = code;
        o.action_msg = msg;
        o.failed_attempts += 1;
        let exhausted = o.failed_attempts >= ATTEMPT_LIMIT;
        o.exhausted = exhausted;
        let op = if o.two_stage { "approved" } else { "deposited" };
        let job = callback_job(o, op, false);
        self.outbox.extend(job);
        exhausted
    }

    pub fn push_callback(&mut self, id: &str, op: &str, ok: bool) {
        if let Some(o) = self.orders.get(id) {
            let job = callback_job(o, op, ok);
            self.outbox.extend(job);
        }
    }

    /// The order a 3DS transaction belongs to.
    pub fn order_of_tds(&self, trans_id: &str) -> Option<String> {
        self.tds.get(trans_id).map(|t| t.order_id.clone())
    }
}

fn callback_job(o: &Order, operation: &str, ok: bool) -> Option<CallbackJob> {
    let url = o.callback_url.clone()?;
    Some(CallbackJob {
        url,
        params: vec![
            ("mdOrder".into(), o.id.clone()),
            ("orderNumber".into(), o.number.clone()),
            ("operation".into(), operation.into()),
            ("status".into(), if ok { "1" } else { "0" }.into()),
        ],
    })
}
