//! Reading the order's status to end a flow: one read when the attempt's end is known, and, while a payment
//! request is in doubt (its answer lost, aborted, or an error answer), reads over the whole status window. The
//! status alone decides; nothing here ever sends a payment again.

use super::*;

/// Reading the order's status to end the flow.
#[derive(Debug)]
pub(super) struct StatusCheck {
    pub(super) attempt: AttemptEnd,
    /// Reads sent so far (for the transport retries' backoff).
    pub(super) tries: u8,
    /// The error to report when the order turns out unpaid (status 0, or 5 = 3DS not finished).
    pub(super) if_unpaid: Option<CheckoutError>,
    /// A decline's reason when the gateway's status gives none.
    pub(super) reason: Option<String>,
    /// Set when a payment request is in doubt (its answer lost, aborted, or a system error): the gateway
    /// may still be processing it, so only the status over the whole window decides.
    pub(super) doubt: Option<Doubt>,
    /// The wait before the read in flight: an abort cuts it short, so the read is sent again after as long
    /// (the window is counted in these waits and must never shrink).
    pub(super) delay_ms: u32,
}

/// The status window after a payment request in doubt.
#[derive(Debug, Clone, Copy)]
pub(super) struct Doubt {
    /// Time waited between reads so far.
    pub(super) waited_ms: u32,
    /// Reads sent in this window (for the backoff).
    pub(super) reads: u8,
}

/// Waits between status reads while a payment is in doubt: 1, 2, 4, then every 8 seconds.
pub(super) fn doubt_delay(reads: u8) -> u32 {
    1000u32 << reads.saturating_sub(1).min(3)
}

impl CardFlow {
    pub(super) fn status(
        &mut self,
        attempt: AttemptEnd,
        if_unpaid: Option<CheckoutError>,
        reason: Option<String>,
    ) -> Action {
        self.forget_card();
        let check = StatusCheck {
            attempt,
            tries: 1,
            if_unpaid,
            reason,
            doubt: None,
            delay_ms: 0,
        };
        self.read_status(check, 0)
    }

    /// A payment request is in doubt: read the status now and, while the order looks unpaid, again over
    /// the status window. `cause` is what happened to the request (a lost answer, an abort, an error answer).
    pub(super) fn status_in_doubt(&mut self, cause: Option<CheckoutError>) -> Action {
        self.forget_card();
        let check = StatusCheck {
            attempt: AttemptEnd::Failed,
            tries: 1,
            if_unpaid: cause,
            reason: None,
            doubt: Some(Doubt {
                waited_ms: 0,
                reads: 1,
            }),
            delay_ms: 0,
        };
        self.read_status(check, 0)
    }

    /// The next read of a payment in doubt, or the end of the window. `unpaid_seen`: the read just answered
    /// showed an unpaid order (a failed read proves nothing).
    pub(super) fn next_doubt_read(&mut self, check: StatusCheck, unpaid_seen: bool) -> Action {
        let Some(d) = check.doubt else {
            return self.fail(CheckoutError::new(
                ErrorCode::StatusUnknown,
                self.config.language,
            ));
        };
        let window = self.config.status_window_ms;
        if d.waited_ms < window {
            let delay = doubt_delay(d.reads).min(window - d.waited_ms);
            let doubt = Some(Doubt {
                waited_ms: d.waited_ms.saturating_add(delay),
                reads: d.reads.saturating_add(1),
            });
            return self.read_status(StatusCheck { doubt, ..check }, delay);
        }
        // The window is over. Only a read at its end that found the order unpaid makes a retry of the same
        // order reasonable; the gateway refuses a second payment of a paid order either way.
        let lang = self.config.language;
        let e = match check.if_unpaid {
            // A gateway error answer stays what the gateway said.
            Some(e) if e.gateway_code.is_some() => e,
            Some(e) => {
                CheckoutError::new(ErrorCode::StatusUnknown, lang).with_detail(e.code.code())
            }
            None => CheckoutError::new(ErrorCode::StatusUnknown, lang),
        };
        self.fail(e.with_retryable(unpaid_seen))
    }

    /// Sends getOrderStatusExtended.do (after `delay_ms`) and waits in `check`.
    pub(super) fn read_status(&mut self, check: StatusCheck, delay_ms: u32) -> Action {
        self.stage = Stage::Status(StatusCheck { delay_ms, ..check });
        let mut p = self.auth_params();
        let key = if self.by_order_number {
            "orderNumber"
        } else {
            "orderId"
        };
        p.push(key, self.order_id.clone());
        Action::Call {
            step: Step::CheckingStatus,
            endpoint: Endpoint::OrderStatusExtended,
            params: p,
            delay_ms,
        }
    }

    pub(super) fn on_status_answer(&mut self, a: GatewayAnswer, check: StatusCheck) -> Action {
        if self.by_order_number {
            // From here on the order is named by the gateway's id.
            if let Some(id) = a.order_id().filter(|id| valid_id(id)) {
                self.order_id = id.to_owned();
                self.by_order_number = false;
            }
        }
        let Some(mut outcome) = Outcome::from_status(&self.order_id, &a, check.attempt) else {
            return match a.error() {
                AnswerError::Code { code, message }
                    if crate::error::classify_gateway_error(&code, message.as_deref())
                        == ErrorCode::AccessDenied =>
                {
                    self.fail(CheckoutError::from_gateway(
                        ErrorCode::AccessDenied,
                        self.config.language,
                        Some(code),
                        message.as_deref(),
                    ))
                }
                // While a payment is in doubt, "no such order" may still turn into a paid order.
                AnswerError::Code { .. } if check.doubt.is_some() => {
                    self.next_doubt_read(check, false)
                }
                // A wallet's refused orderNumber the gateway does not know: the refusal stands.
                AnswerError::Code { .. } if self.by_order_number && check.if_unpaid.is_some() => {
                    let e = check.if_unpaid.unwrap_or_else(|| {
                        CheckoutError::new(ErrorCode::StatusUnknown, self.config.language)
                    });
                    self.fail(e)
                }
                // Seed 003, getOrderStatusExtended.do: "7 Жүйелік қате" (system error): read again, as after a lost
                // answer, before saying the status is unknown.
                AnswerError::Code { code, .. } if code == "7" => {
                    self.stage = Stage::Status(check);
                    self.handle(Event::TransportFailed(TransportFailure::BadResponse))
                }
                AnswerError::Code { code, .. } => {
                    let mut e = CheckoutError::new(ErrorCode::StatusUnknown, self.config.language);
                    e.gateway_code = Some(code);
                    self.fail(e)
                }
                // No orderStatus and no error: treat as a lost answer.
                _ => {
                    self.stage = Stage::Status(check);
                    self.handle(Event::TransportFailed(TransportFailure::BadResponse))
                }
            };
        };
        // 0 = registered, not paid; 5 = 3DS started and not finished; 6 = declined, which an order paid again
        // after an earlier decline still shows while the new attempt is processed. While a payment request is in
        // doubt, each may still turn into a charge: read again until the window is over. At its end only a 0
        // proves the order unpaid (a 5 may still complete, so not retryable), and a 6 is the decline.
        let status = outcome.order_status;
        if let Some(d) = check.doubt {
            let window_open = d.waited_ms < self.config.status_window_ms;
            if matches!(status, Some(0 | 5)) || (status == Some(6) && window_open) {
                return self.next_doubt_read(check, status == Some(0));
            }
        }
        let unpaid = matches!(status, Some(0 | 5));
        if unpaid {
            if let Some(e) = check.if_unpaid {
                return self.fail(e);
            }
        }
        let reason = check.reason;
        if outcome.reason.is_none() && outcome.status == crate::outcome::OutcomeKind::Declined {
            outcome.reason = reason;
        }
        self.stage = Stage::Over;
        self.forget_card();
        Action::Done(outcome)
    }
}
