//! Every error a merchant or shopper can meet: a stable `code`, a message in the shopper's language, and
//! whether trying again may help. Card data never enters an error.

use crate::lang::Language;
use crate::prelude::*;

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
    /// The full-page challenge could not leave the page (a Content Security Policy's form-action refused its
    /// form, or a redirect the bank's page answered it with, or the page may post no forms or has an opaque origin:
    /// a sandbox without allow-forms or allow-same-origin): the bank's page never showed, so the shopper confirmed
    /// nothing; the same order may be paid again.
    RedirectBlocked,
    /// The full-page challenge's form was posted but the page gave no sign of leaving within seconds (a
    /// navigation the page cancelled, or iOS Safari waiting for a slow bank page): the page may still go to the
    /// bank, so the order is not to be paid again until its status says so.
    RedirectUnconfirmed,
}

/// The stable codes, in the order of the variants.
const CODES: [&str; 25] = [
    "invalid_option",
    "invalid_card_number",
    "invalid_expiry",
    "invalid_cvc",
    "invalid_cardholder",
    "invalid_order_id",
    "invalid_amount",
    "invalid_wallet_token",
    "unsafe_url",
    "network",
    "timeout",
    "http_status",
    "bad_response",
    "access_denied",
    "gateway_error",
    "three_ds_failed",
    "challenge_timeout",
    "aborted",
    "busy",
    "nothing_to_resume",
    "status_unknown",
    "dom",
    "wallet_error",
    "redirect_blocked",
    "redirect_unconfirmed",
];

/// The module's messages, three per variant in the order of the variants: en, ru, kk. One table (data, no
/// per-variant code).
const MESSAGES: [&str; 75] = [
    // InvalidOption
    "The checkout is not configured correctly.",
    "Оплата настроена неверно.",
    "Төлем дұрыс бапталмаған.",
    // InvalidCardNumber
    "Check the card number.",
    "Проверьте номер карты.",
    "Карта нөмірін тексеріңіз.",
    // InvalidExpiry
    "Check the card's expiry date.",
    "Проверьте срок действия карты.",
    "Картаның жарамдылық мерзімін тексеріңіз.",
    // InvalidCvc
    "Check the security code (CVC).",
    "Проверьте код безопасности (CVC).",
    "Қауіпсіздік кодын (CVC) тексеріңіз.",
    // InvalidCardholder
    "Enter the cardholder's name as printed on the card.",
    "Введите имя владельца, как на карте.",
    "Карта иесінің атын картадағыдай енгізіңіз.",
    // InvalidOrderId
    "The order is missing or invalid.",
    "Заказ не указан или указан неверно.",
    "Тапсырыс көрсетілмеген немесе қате.",
    // InvalidAmount
    "The amount is invalid.",
    "Неверная сумма.",
    "Сома қате.",
    // InvalidWalletToken
    "The wallet did not return a usable payment token.",
    "Кошелёк не вернул пригодный платёжный токен.",
    "Әмиян жарамды төлем токенін қайтармады.",
    // UnsafeUrl
    "The bank sent an address that is not safe to open.",
    "Банк прислал небезопасный адрес.",
    "Банк қауіпсіз емес мекенжай жіберді.",
    // Network
    "No connection to the payment service. Check your connection and try again.",
    "Нет связи с платёжным сервисом. Проверьте подключение и повторите.",
    "Төлем қызметімен байланыс жоқ. Қосылымды тексеріп, қайталаңыз.",
    // Timeout
    "The payment service did not answer in time. Try again.",
    "Платёжный сервис не ответил вовремя. Повторите попытку.",
    "Төлем қызметі уақытында жауап бермеді. Қайталаңыз.",
    // HttpStatus
    "The payment service is unavailable. Try again later.",
    "Платёжный сервис недоступен. Повторите позже.",
    "Төлем қызметі қолжетімсіз. Кейінірек қайталаңыз.",
    // BadResponse
    "The payment service is unavailable. Try again later.",
    "Платёжный сервис недоступен. Повторите позже.",
    "Төлем қызметі қолжетімсіз. Кейінірек қайталаңыз.",
    // AccessDenied
    "The shop's payment settings were refused by the bank.",
    "Банк отклонил платёжные настройки магазина.",
    "Банк дүкеннің төлем баптауларын қабылдамады.",
    // GatewayError
    "The bank refused the payment request.",
    "Банк отклонил запрос на оплату.",
    "Банк төлем сұрауын қабылдамады.",
    // ThreeDsFailed
    "The card could not be verified with your bank. Try again.",
    "Не удалось подтвердить карту в вашем банке. Повторите попытку.",
    "Картаны банкте растау мүмкін болмады. Қайталаңыз.",
    // ChallengeTimeout
    "The bank's confirmation was not completed in time.",
    "Подтверждение в банке не завершено вовремя.",
    "Банктегі растау уақытында аяқталмады.",
    // Aborted
    "The payment was cancelled.",
    "Оплата отменена.",
    "Төлем тоқтатылды.",
    // Busy
    "A payment is already in progress.",
    "Оплата уже выполняется.",
    "Төлем орындалып жатыр.",
    // NothingToResume
    "There is no payment waiting to be finished.",
    "Нет оплаты, ожидающей завершения.",
    "Аяқталуды күтіп тұрған төлем жоқ.",
    // StatusUnknown
    "We could not confirm the payment. Do not pay again until the shop confirms the order's status.",
    "Не удалось подтвердить оплату. Не платите повторно, пока магазин не проверит заказ.",
    "Төлемді растау мүмкін болмады. Дүкен тапсырысты тексергенше қайта төлемеңіз.",
    // Dom
    "The payment page is not ready.",
    "Страница оплаты не готова.",
    "Төлем беті дайын емес.",
    // WalletError
    "The wallet payment failed.",
    "Оплата кошельком не прошла.",
    "Әмиянмен төлем өтпеді.",
    // RedirectBlocked
    "The page could not open your bank's confirmation. Try again.",
    "Страница не смогла открыть подтверждение банка. Повторите попытку.",
    "Бет банктің растауын аша алмады. Қайталаңыз.",
    // RedirectUnconfirmed
    "Your bank's confirmation page may still open. Please wait and do not pay again.",
    "Страница подтверждения банка может ещё открыться. Подождите и не оплачивайте повторно.",
    "Банктің растау беті әлі ашылуы мүмкін. Күте тұрыңыз, қайта төлемеңіз.",
];

/// Codes whose cause may pass (one bit per variant).
const RETRYABLE: u32 = 1 << ErrorCode::Network as u32
    | 1 << ErrorCode::Timeout as u32
    | 1 << ErrorCode::HttpStatus as u32
    | 1 << ErrorCode::BadResponse as u32
    | 1 << ErrorCode::ThreeDsFailed as u32
    | 1 << ErrorCode::ChallengeTimeout as u32
    | 1 << ErrorCode::Aborted as u32
    | 1 << ErrorCode::RedirectBlocked as u32;

impl ErrorCode {
    /// The stable machine-readable code.
    pub fn code(self) -> &'static str {
        CODES[self as usize]
    }

    /// Whether paying the same order again may succeed by default (the cause may pass; the gateway refuses
    /// a second payment of a paid order, so a retry with the same orderId never charges twice): network,
    /// timeout, http_status, bad_response, three_ds_failed, challenge_timeout, aborted, redirect_blocked.
    pub fn retryable(self) -> bool {
        RETRYABLE & (1 << self as u32) != 0
    }

    /// The module's own message for this code in the shopper's language.
    pub fn message(self, lang: Language) -> &'static str {
        MESSAGES[self as usize * 3 + lang as usize]
    }
}

/// The module's code for a gateway errorCode. The gateway uses 5 for many refusals (access denied, but
/// also a wrong amount or language, attempts finished, a password to change), so only code 5 whose message
/// says access is denied, in any of the gateway's languages, is `AccessDenied`; everything else (an empty
/// message too) is `GatewayError` with the gateway's message.
pub fn classify_gateway_error(code: &str, message: Option<&str>) -> ErrorCode {
    match refusal(code, message) {
        Some(true) => ErrorCode::AccessDenied,
        _ => ErrorCode::GatewayError,
    }
}

/// What an errorCode 5 says beside "system or internal error", told apart by its message (in the request's
/// language): `Some(true)` access denied (a refused token), `Some(false)` payment attempts finished (seed 003's
/// paymentorder.do table: "5 Төлем жасау әрекеттері аяқталды": the order takes no more attempts and this one was
/// refused untried), None anything else.
pub fn refusal(code: &str, message: Option<&str>) -> Option<bool> {
    // Whole phrases: a system error's "повторите попытку позже" (try again later) or "a payment attempt is still
    // being processed" must stay in doubt, never read as the end of the order's attempts.
    const PHRASES: [(&str, bool); 7] = [
        ("access denied", true),
        ("доступ запрещ", true),
        ("кіру рұқсаты жоқ", true),
        ("қатынауға тыйым", true),
        ("payment attempts", false),
        ("попытки оплаты", false),
        ("әрекеттері аяқталды", false),
    ];
    if code != "5" {
        return None;
    }
    let m: String = message.unwrap_or("").chars().map(fold_case).collect();
    PHRASES
        .iter()
        .find(|(p, _)| crate::text::contains(&m, p))
        .map(|(_, denied)| *denied)
}

/// Lower case for the scripts the gateway writes in (Latin, Cyrillic with the Kazakh letters); other
/// characters unchanged. Enough to compare with the phrases above without the Unicode case tables.
fn fold_case(c: char) -> char {
    let n = c as u32;
    let lower = match n {
        0x41..=0x5a => n + 0x20,
        // А–Я → а–я; Ѐ–Џ (Ё, І among them) → ѐ–џ.
        0x410..=0x42f => n + 0x20,
        0x400..=0x40f => n + 0x50,
        // Ѡ–ҁ and Ҋ–ӿ come in upper/lower pairs (Ғ ғ, Қ қ, Ң ң, Ү ү, Ұ ұ, Һ һ, Ә ә, Ө ө …); Ӏ and the
        // odd pairs of Ӂ–ӎ are the exceptions.
        0x460..=0x481 | 0x48a..=0x4bf | 0x4d0..=0x4ff if n % 2 == 0 => n + 1,
        0x4c1..=0x4cd if n % 2 == 1 => n + 1,
        0x4c0 => 0x4cf,
        _ => n,
    };
    char::from_u32(lower).unwrap_or(c)
}

/// An error the module reports: a code, a shopper-facing message and the gateway's own details when it sent any.
/// Boxed: errors travel through every `Result` of the flow and the web layer, and a one-word error keeps each
/// of those moves and drops small (issue 13). Its fields are read and written through `Deref`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutError(Box<ErrorDetails>);

/// What a CheckoutError carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorDetails {
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

impl core::ops::Deref for CheckoutError {
    type Target = ErrorDetails;
    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl core::ops::DerefMut for CheckoutError {
    fn deref_mut(&mut self) -> &mut ErrorDetails {
        &mut self.0
    }
}

impl CheckoutError {
    // The constructor and setters are called at a hundred places: out of line they cost less (measured).
    #[inline(never)]
    pub fn new(code: ErrorCode, lang: Language) -> Self {
        CheckoutError(Box::new(ErrorDetails {
            code,
            message: code.message(lang).to_owned(),
            gateway_code: None,
            detail: None,
            order_id: None,
            retryable: code.retryable(),
        }))
    }

    /// Names the order (an empty id, a wallet payment's before the gateway named it, names none).
    #[inline(never)]
    pub fn with_order(mut self, order_id: &str) -> Self {
        if !order_id.is_empty() {
            self.order_id = Some(order_id.to_owned());
        }
        self
    }

    #[inline(never)]
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    #[inline(never)]
    pub fn with_detail(mut self, detail: &'static str) -> Self {
        self.detail = Some(detail);
        self
    }

    /// An error carrying the gateway's code and (if non-empty) its message.
    #[inline(never)]
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
            RedirectUnconfirmed,
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
    fn case_folding_matches_unicode_for_the_gateways_scripts() {
        for c in ('A'..='Z').chain('\u{400}'..='\u{4ff}') {
            let mut lower = c.to_lowercase();
            let expected = match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            };
            assert_eq!(fold_case(c), expected, "{c} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn retryable_codes() {
        use ErrorCode::*;
        for c in [
            Network,
            Timeout,
            HttpStatus,
            BadResponse,
            ThreeDsFailed,
            ChallengeTimeout,
            Aborted,
            RedirectBlocked,
        ] {
            assert!(c.retryable(), "{c:?}");
        }
        for c in [
            InvalidOption,
            AccessDenied,
            GatewayError,
            Busy,
            StatusUnknown,
            Dom,
            WalletError,
            RedirectUnconfirmed,
        ] {
            assert!(!c.retryable(), "{c:?}");
        }
        assert_eq!(StatusUnknown.code(), "status_unknown");
        assert_eq!(
            RedirectBlocked.message(Language::Kk),
            "Бет банктің растауын аша алмады. Қайталаңыз."
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
