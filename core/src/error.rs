//! Every error a merchant or shopper can meet: a stable `code`, a message in the shopper's language, and
//! whether trying again may help. Card data never enters an error.

use crate::lang::Language;

/// What went wrong. The `code()` strings are part of the public API and never change meaning.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// An option given to the module is missing or malformed.
    InvalidOption,
    /// The card number is not a plausible card number (length, digits, Luhn check).
    InvalidCardNumber,
    /// The expiry is malformed or in the past.
    InvalidExpiry,
    /// The CVC is not 3 or 4 digits.
    InvalidCvc,
    /// The cardholder name is missing or too long.
    InvalidCardholder,
    /// The orderId is missing or malformed.
    InvalidOrderId,
    /// An amount is not a positive whole number of minor units.
    InvalidAmount,
    /// A wallet token is missing or not of the expected shape.
    InvalidWalletToken,
    /// A URL from the gateway or the merchant failed the safety policy (scheme, credentials, host).
    UnsafeUrl,
    /// The network request failed before an answer arrived.
    Network,
    /// The gateway did not answer in time.
    Timeout,
    /// The gateway answered with an HTTP error status.
    HttpStatus,
    /// The gateway's answer was not the JSON the protocol describes.
    BadResponse,
    /// The gateway refused the merchant's credentials (errorCode 5).
    AccessDenied,
    /// The gateway refused the request with an error code and message of its own.
    GatewayError,
    /// 3-D Secure could not be completed (an errorCode 0 answer that carries an error).
    ThreeDsFailed,
    /// The shopper did not finish the bank's challenge in time.
    ChallengeTimeout,
    /// The payment was cancelled through the AbortSignal.
    Aborted,
    /// A payment is already running in this Checkout.
    Busy,
    /// resume() found no payment waiting for the shopper's return.
    NothingToResume,
    /// The payment's final state could not be learnt (a payment request's answer was lost and the order
    /// stayed unpaid over the whole status window, or the status could not be read): check the order
    /// (`orderId`) before anything else; retry only with the same orderId.
    StatusUnknown,
    /// The page lacks what the module needs (the challenge container, a document).
    Dom,
    /// A wallet payment failed at the gateway (the gateway's `error.message` is shown).
    WalletError,
    /// The full-page challenge could not leave the page (a Content Security Policy's form-action, a
    /// navigation the page cancelled): nothing was charged; the same order may be paid again.
    RedirectBlocked,
}

impl ErrorCode {
    /// The stable machine-readable code.
    pub fn code(self) -> &'static str {
        use ErrorCode::*;
        match self {
            InvalidOption => "invalid_option",
            InvalidCardNumber => "invalid_card_number",
            InvalidExpiry => "invalid_expiry",
            InvalidCvc => "invalid_cvc",
            InvalidCardholder => "invalid_cardholder",
            InvalidOrderId => "invalid_order_id",
            InvalidAmount => "invalid_amount",
            InvalidWalletToken => "invalid_wallet_token",
            UnsafeUrl => "unsafe_url",
            Network => "network",
            Timeout => "timeout",
            HttpStatus => "http_status",
            BadResponse => "bad_response",
            AccessDenied => "access_denied",
            GatewayError => "gateway_error",
            ThreeDsFailed => "three_ds_failed",
            ChallengeTimeout => "challenge_timeout",
            Aborted => "aborted",
            Busy => "busy",
            NothingToResume => "nothing_to_resume",
            StatusUnknown => "status_unknown",
            Dom => "dom",
            WalletError => "wallet_error",
            RedirectBlocked => "redirect_blocked",
        }
    }

    /// Whether paying the same order again may succeed by default (the cause may pass; the gateway refuses
    /// a second payment of a paid order, so a retry with the same orderId never charges twice).
    pub fn retryable(self) -> bool {
        use ErrorCode::*;
        matches!(
            self,
            Network
                | Timeout
                | HttpStatus
                | BadResponse
                | ThreeDsFailed
                | ChallengeTimeout
                | Aborted
                | RedirectBlocked
        )
    }

    /// The module's own message for this code in the shopper's language.
    pub fn message(self, lang: Language) -> &'static str {
        use ErrorCode::*;
        use Language::*;
        match (self, lang) {
            (InvalidOption, En) => "The checkout is not configured correctly.",
            (InvalidOption, Ru) => "Оплата настроена неверно.",
            (InvalidOption, Kk) => "Төлем дұрыс бапталмаған.",
            (InvalidCardNumber, En) => "Check the card number.",
            (InvalidCardNumber, Ru) => "Проверьте номер карты.",
            (InvalidCardNumber, Kk) => "Карта нөмірін тексеріңіз.",
            (InvalidExpiry, En) => "Check the card's expiry date.",
            (InvalidExpiry, Ru) => "Проверьте срок действия карты.",
            (InvalidExpiry, Kk) => "Картаның жарамдылық мерзімін тексеріңіз.",
            (InvalidCvc, En) => "Check the security code (CVC).",
            (InvalidCvc, Ru) => "Проверьте код безопасности (CVC).",
            (InvalidCvc, Kk) => "Қауіпсіздік кодын (CVC) тексеріңіз.",
            (InvalidCardholder, En) => "Enter the cardholder's name as printed on the card.",
            (InvalidCardholder, Ru) => "Введите имя владельца, как на карте.",
            (InvalidCardholder, Kk) => "Карта иесінің атын картадағыдай енгізіңіз.",
            (InvalidOrderId, En) => "The order is missing or invalid.",
            (InvalidOrderId, Ru) => "Заказ не указан или указан неверно.",
            (InvalidOrderId, Kk) => "Тапсырыс көрсетілмеген немесе қате.",
            (InvalidAmount, En) => "The amount is invalid.",
            (InvalidAmount, Ru) => "Неверная сумма.",
            (InvalidAmount, Kk) => "Сома қате.",
            (InvalidWalletToken, En) => "The wallet did not return a usable payment token.",
            (InvalidWalletToken, Ru) => "Кошелёк не вернул пригодный платёжный токен.",
            (InvalidWalletToken, Kk) => "Әмиян жарамды төлем токенін қайтармады.",
            (UnsafeUrl, En) => "The bank sent an address that is not safe to open.",
            (UnsafeUrl, Ru) => "Банк прислал небезопасный адрес.",
            (UnsafeUrl, Kk) => "Банк қауіпсіз емес мекенжай жіберді.",
            (Network, En) => "No connection to the payment service. Check your connection and try again.",
            (Network, Ru) => "Нет связи с платёжным сервисом. Проверьте подключение и повторите.",
            (Network, Kk) => "Төлем қызметімен байланыс жоқ. Қосылымды тексеріп, қайталаңыз.",
            (Timeout, En) => "The payment service did not answer in time. Try again.",
            (Timeout, Ru) => "Платёжный сервис не ответил вовремя. Повторите попытку.",
            (Timeout, Kk) => "Төлем қызметі уақытында жауап бермеді. Қайталаңыз.",
            (HttpStatus, En) | (BadResponse, En) => "The payment service is unavailable. Try again later.",
            (HttpStatus, Ru) | (BadResponse, Ru) => "Платёжный сервис недоступен. Повторите позже.",
            (HttpStatus, Kk) | (BadResponse, Kk) => "Төлем қызметі қолжетімсіз. Кейінірек қайталаңыз.",
            (AccessDenied, En) => "The shop's payment settings were refused by the bank.",
            (AccessDenied, Ru) => "Банк отклонил платёжные настройки магазина.",
            (AccessDenied, Kk) => "Банк дүкеннің төлем баптауларын қабылдамады.",
            (GatewayError, En) => "The bank refused the payment request.",
            (GatewayError, Ru) => "Банк отклонил запрос на оплату.",
            (GatewayError, Kk) => "Банк төлем сұрауын қабылдамады.",
            (ThreeDsFailed, En) => "The card could not be verified with your bank. Try again.",
            (ThreeDsFailed, Ru) => "Не удалось подтвердить карту в вашем банке. Повторите попытку.",
            (ThreeDsFailed, Kk) => "Картаны банкте растау мүмкін болмады. Қайталаңыз.",
            (ChallengeTimeout, En) => "The bank's confirmation was not completed in time.",
            (ChallengeTimeout, Ru) => "Подтверждение в банке не завершено вовремя.",
            (ChallengeTimeout, Kk) => "Банктегі растау уақытында аяқталмады.",
            (Aborted, En) => "The payment was cancelled.",
            (Aborted, Ru) => "Оплата отменена.",
            (Aborted, Kk) => "Төлем тоқтатылды.",
            (Busy, En) => "A payment is already in progress.",
            (Busy, Ru) => "Оплата уже выполняется.",
            (Busy, Kk) => "Төлем орындалып жатыр.",
            (NothingToResume, En) => "There is no payment waiting to be finished.",
            (NothingToResume, Ru) => "Нет оплаты, ожидающей завершения.",
            (NothingToResume, Kk) => "Аяқталуды күтіп тұрған төлем жоқ.",
            (StatusUnknown, En) => "We could not confirm the payment. Do not pay again until the shop confirms the order's status.",
            (StatusUnknown, Ru) => "Не удалось подтвердить оплату. Не платите повторно, пока магазин не проверит заказ.",
            (StatusUnknown, Kk) => "Төлемді растау мүмкін болмады. Дүкен тапсырысты тексергенше қайта төлемеңіз.",
            (Dom, En) => "The payment page is not ready.",
            (Dom, Ru) => "Страница оплаты не готова.",
            (Dom, Kk) => "Төлем беті дайын емес.",
            (WalletError, En) => "The wallet payment failed.",
            (WalletError, Ru) => "Оплата кошельком не прошла.",
            (WalletError, Kk) => "Әмиянмен төлем өтпеді.",
            (RedirectBlocked, En) => "The page could not open your bank's confirmation. Try again.",
            (RedirectBlocked, Ru) => "Страница не смогла открыть подтверждение банка. Повторите попытку.",
            (RedirectBlocked, Kk) => "Бет банктің растауын аша алмады. Қайталаңыз.",
        }
    }
}

/// The module's code for a gateway errorCode. The gateway uses 5 for many refusals (access denied, but
/// also a wrong amount or language, attempts finished, a password to change), so only code 5 whose message
/// says access is denied, in any of the gateway's languages, is `AccessDenied`; everything else (an empty
/// message too) is `GatewayError` with the gateway's message.
pub fn classify_gateway_error(code: &str, message: Option<&str>) -> ErrorCode {
    let m = message.unwrap_or("").to_lowercase();
    let denied = [
        "access denied",
        "доступ запрещ",
        "кіру рұқсаты жоқ",
        "қатынауға тыйым",
    ];
    if code == "5" && denied.iter().any(|d| m.contains(d)) {
        ErrorCode::AccessDenied
    } else {
        ErrorCode::GatewayError
    }
}

/// An error the module reports: a code, a shopper-facing message and the gateway's own details when it sent any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutError {
    pub code: ErrorCode,
    /// Shown to the shopper: the gateway's own message (already in the request's language) when it gave one,
    /// else the module's message for `code`.
    pub message: String,
    /// The gateway's errorCode, when the gateway sent one.
    pub gateway_code: Option<String>,
    /// For the merchant's logs: which field or step failed (never card data).
    pub detail: Option<&'static str>,
    /// The order the failed payment belongs to, once a payment started: the merchant checks or retries
    /// exactly this order, never a new one.
    pub order_id: Option<String>,
    /// Whether calling payCard again with the same orderId is safe and may succeed. Usually the code's
    /// default; after a lost payment answer it is true only when the status proved the order unpaid.
    retryable: bool,
}

impl CheckoutError {
    pub fn new(code: ErrorCode, lang: Language) -> Self {
        CheckoutError {
            code,
            message: code.message(lang).to_owned(),
            gateway_code: None,
            detail: None,
            order_id: None,
            retryable: code.retryable(),
        }
    }

    pub fn with_order(mut self, order_id: &str) -> Self {
        self.order_id = Some(order_id.to_owned());
        self
    }

    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    pub fn with_detail(mut self, detail: &'static str) -> Self {
        self.detail = Some(detail);
        self
    }

    /// An error carrying the gateway's code and (if non-empty) its message.
    pub fn from_gateway(
        code: ErrorCode,
        lang: Language,
        gateway_code: Option<String>,
        gateway_message: Option<&str>,
    ) -> Self {
        let mut e = CheckoutError::new(code, lang);
        if let Some(m) = gateway_message.map(str::trim).filter(|m| !m.is_empty()) {
            e.message = m.to_owned();
        }
        e.gateway_code = gateway_code;
        e
    }

    pub fn retryable(&self) -> bool {
        self.retryable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_message_in_every_language() {
        use ErrorCode::*;
        let all = [
            InvalidOption,
            InvalidCardNumber,
            InvalidExpiry,
            InvalidCvc,
            InvalidCardholder,
            InvalidOrderId,
            InvalidAmount,
            InvalidWalletToken,
            UnsafeUrl,
            Network,
            Timeout,
            HttpStatus,
            BadResponse,
            AccessDenied,
            GatewayError,
            ThreeDsFailed,
            ChallengeTimeout,
            Aborted,
            Busy,
            NothingToResume,
            StatusUnknown,
            Dom,
            WalletError,
            RedirectBlocked,
        ];
        let mut codes: Vec<&str> = all.iter().map(|c| c.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len(), "codes are unique");
        for c in all {
            for l in [Language::En, Language::Ru, Language::Kk] {
                assert!(!c.message(l).is_empty());
            }
        }
    }

    #[test]
    fn code_5_is_access_denied_only_when_it_says_so() {
        assert_eq!(
            classify_gateway_error("5", Some("Access denied")),
            ErrorCode::AccessDenied
        );
        assert_eq!(
            classify_gateway_error("5", Some("Доступ запрещён.")),
            ErrorCode::AccessDenied
        );
        assert_eq!(
            classify_gateway_error("5", Some("Кіру рұқсаты жоқ.")),
            ErrorCode::AccessDenied
        );
        // Seed 003 uses 5 for many refusals ("5 [jsonParams] дұрыс емес", "5 Пайдаланушы құпиясөзді
        // ауыстыруы керек", "5 Төлем жасау әрекеттері аяқталды"): without words, it is not access denied.
        assert_eq!(classify_gateway_error("5", None), ErrorCode::GatewayError);
        assert_eq!(
            classify_gateway_error("5", Some(" ")),
            ErrorCode::GatewayError
        );
        assert_eq!(
            classify_gateway_error("5", Some("Order not found")),
            ErrorCode::GatewayError
        );
        assert_eq!(
            classify_gateway_error("5", Some("Неверная сумма")),
            ErrorCode::GatewayError
        );
        assert_eq!(
            classify_gateway_error("2", Some("Access denied")),
            ErrorCode::GatewayError
        );
    }

    #[test]
    fn gateway_message_wins_when_present() {
        let e = CheckoutError::from_gateway(
            ErrorCode::GatewayError,
            Language::En,
            Some("7".into()),
            Some("  "),
        );
        assert_eq!(e.message, ErrorCode::GatewayError.message(Language::En));
        let e = CheckoutError::from_gateway(
            ErrorCode::GatewayError,
            Language::En,
            None,
            Some("Order not found"),
        );
        assert_eq!(e.message, "Order not found");
    }
}
