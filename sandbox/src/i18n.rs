//! errorMessage / info / actionCodeDescription texts in en, ru, kk.
//!
//! The `language` request parameter selects the language; absent or unknown → Russian, the
//! real gateway's default for a store configured in Russian.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
    Kk,
}

impl Lang {
    pub fn parse(s: Option<&str>) -> Lang {
        match s.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            Some("en") => Lang::En,
            Some("kk") | Some("kz") => Lang::Kk,
            _ => Lang::Ru,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Kk => "kk",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Msg {
    Success,
    AccessDenied,
    EmptyPassword,
    EmptyLogin,
    OrderNumberUsed,
    OrderNumberInvalid,
    UnknownCurrency,
    EmptyOrderNumber,
    AmountNotSpecified,
    EmptyAmount,
    ReturnUrlEmpty,
    InvalidAmount,
    InvalidLanguage,
    InvalidMerchantLogin,
    InvalidJsonParams,
    InvalidFeatures,
    DepositTooSmall,
    UnregisteredOrderId,
    WrongState,
    RefundExceeds,
    OrderIdEmpty,
    CvcNotSpecified,
    BindingNotFound,
    OrderNotFound,
    ClientIdEmpty,
    AlreadyProcessed,
    InvalidPan,
    InvalidExpiry,
    InvalidCvc,
    InvalidSeToken,
    UnknownTransId,
    SystemError,
    /// errorCode 5 "system or internal error" (seed 003, paymentorder.do): a payment request for an
    /// order whose previous payment request is still being processed.
    InProgress,
    Multipart,
    AttemptsExhausted,
    // `info` texts of payment answers.
    InfoProceeded,
    InfoDeclinedFunds,
    InfoDeclinedIssuer,
    InfoAuthFailed,
    InfoTimeout,
    InfoRedirecting,
    // actionCodeDescription texts.
    ActNoAttempts,
    ActApproved,
    ActInsufficientFunds,
    ActIssuerDeclined,
    ActAuthFailed,
    ActAuthCancelled,
    ActTimeout,
    ActPending,
}

/// The text of `msg` in `lang`.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    let (en, ru, kk) = texts(msg);
    match lang {
        Lang::En => en,
        Lang::Ru => ru,
        Lang::Kk => kk,
    }
}

fn texts(msg: Msg) -> (&'static str, &'static str, &'static str) {
    use Msg::*;
    match msg {
        Success => ("Success", "Успешно", "Сәтті"),
        AccessDenied => ("Access denied", "Доступ запрещён", "Кіру рұқсаты жоқ."),
        EmptyPassword => ("Password cannot be empty", "Пароль не может быть пустым", "Құпиясөз бос болмауы керек."),
        EmptyLogin => ("Merchant login cannot be empty", "Имя продавца не может быть пустым", "Сатушы аты бос болмауы керек"),
        OrderNumberUsed => (
            "Order with this number was already processed",
            "Заказ с таким номером уже обработан",
            "Көрсетілген нөмірі бар тапсырыс өңделіп қойды.",
        ),
        OrderNumberInvalid => ("Invalid order number", "Неверный номер заказа", "Тапсырыс нөмірі дұрыс емес"),
        UnknownCurrency => ("Unknown currency", "Неизвестная валюта", "Белгісіз валюта."),
        EmptyOrderNumber => ("Order number cannot be empty", "Номер заказа не может быть пустым", "Тапсырыс нөмірі бос болмауы керек"),
        AmountNotSpecified => ("Amount is not specified", "Не указана сумма", "Сома көрсетілмеген"),
        EmptyAmount => ("Empty amount", "Пустая сумма", "Сома бос"),
        ReturnUrlEmpty => ("Return URL cannot be empty", "URL возврата не может быть пустым", "Қайтару URL-мекенжайы бос болмауы керек"),
        InvalidAmount => ("Invalid amount", "Неверная сумма", "Дұрыс емес сома."),
        InvalidLanguage => ("Invalid 'language' parameter", "Неверный параметр 'Язык'", "'Тіл’ параметрі дұрыс емес."),
        InvalidMerchantLogin => ("Invalid merchant login", "Неверный логин продавца", "Сатушы логіне дұрыс емес"),
        InvalidJsonParams => ("[jsonParams] is invalid", "[jsonParams] неверен", "[jsonParams] дұрыс емес"),
        InvalidFeatures => ("Features are specified incorrectly", "Неверно указаны features", "Features дұрыс көрсетілмеген"),
        DepositTooSmall => (
            "Deposit amount must be zero or at least one ruble",
            "Сумма депозита должна быть равна нулю или не менее одного рубля",
            "Депозит сомасы нөлге тең немесе кемінде бір рубль болуы керек.",
        ),
        UnregisteredOrderId => ("Unregistered orderId", "Незарегистрированный orderId", "Тіркелмеген orderId."),
        WrongState => ("Payment must be in a correct state", "Платёж должен быть в корректном состоянии", "Төлем дұрыс күйінде болуы керек."),
        RefundExceeds => (
            "Refund amount exceeds the deposited amount",
            "Сумма возврата превышает сумму списания",
            "Қайтару сомасы төлем сомасынан асып кетті.",
        ),
        OrderIdEmpty => ("[orderId] is not specified", "[orderId] не указан", "[orderId] көрсетілмеген"),
        CvcNotSpecified => ("[cvc] is not specified", "[cvc] не указан", "[cvc] көрсетілмеді."),
        BindingNotFound => ("Binding not found", "Связка не найдена", "Байлам табылмады."),
        OrderNotFound => ("Order not found", "Заказ не найден", "Тапсырыс табылмады."),
        ClientIdEmpty => ("[clientId] is not specified", "[clientId] не указан", "[clientId] көрсетілмеген"),
        AlreadyProcessed => ("Order has already been processed", "Заказ уже обработан", "Тапсырыс өңделіп қойды"),
        InvalidPan => ("Invalid card number", "Неверный номер карты", "Карта нөмірі дұрыс емес"),
        InvalidExpiry => ("Invalid card expiry date", "Неверный срок действия карты", "Картаның жарамдылық мерзімі дұрыс емес"),
        InvalidCvc => ("Invalid CVC", "Неверный CVC", "CVC дұрыс емес"),
        InvalidSeToken => ("Invalid seToken", "Неверный seToken", "seToken дұрыс емес"),
        UnknownTransId => ("Unknown threeDSServerTransId", "Неизвестный threeDSServerTransId", "Белгісіз threeDSServerTransId"),
        SystemError => ("System error", "Системная ошибка", "Жүйелік қате."),
        InProgress => (
            "System error: the previous payment request for this order is still being processed",
            "Системная ошибка: предыдущий запрос на оплату заказа ещё обрабатывается",
            "Жүйелік немесе ішкі қате: тапсырысты төлеу бойынша алдыңғы сұрау әлі өңделуде",
        ),
        Multipart => (
            "System error: multipart/form-data is not supported, send application/x-www-form-urlencoded",
            "Системная ошибка: multipart/form-data не поддерживается, используйте application/x-www-form-urlencoded",
            "Жүйелік қате: multipart/form-data қолданылмайды, application/x-www-form-urlencoded жіберіңіз",
        ),
        AttemptsExhausted => ("Payment attempts exhausted", "Попытки оплаты исчерпаны", "Төлем жасау әрекеттері аяқталды"),
        InfoProceeded => (
            "Your order is proceeded, redirecting...",
            "Ваш платёж обработан, происходит переадресация...",
            "Төлеміңіз өңделді, қайта бағыттау орындалуда...",
        ),
        InfoDeclinedFunds => (
            "Operation declined. Check the entered data, the funds available on the card and repeat the operation. Redirecting...",
            "Операция отклонена. Проверьте введённые данные, достаточность средств на карте и повторите операцию. Происходит переадресация...",
            "Операция өтпеді. Енгізілген деректерді, картадағы қаражаттың жеткілікті екенін тексеріп, операцияны қайталаңыз. Қайта бағыттау орындалуда...",
        ),
        InfoDeclinedIssuer => (
            "Operation declined. Contact the bank that issued the card. Redirecting...",
            "Операция отклонена. Обратитесь в банк, выпустивший карту. Происходит переадресация...",
            "Операция өтпеді. Картаны шығарған банкке хабарласыңыз. Қайта бағыттау орындалуда...",
        ),
        InfoAuthFailed => (
            "Operation not allowed. Cardholder authentication failed. Redirecting...",
            "Операция не разрешена. Аутентификация держателя карты завершилась неуспешно. Происходит переадресация...",
            "Рұқсат етілмеген операция Карта иесінің аутентификациясы сәтсіз аяқталды. Қайта бағыттау орындалуда...",
        ),
        InfoTimeout => (
            "Data entry timeout has expired. Redirecting...",
            "Истёк срок ожидания ввода данных. Происходит переадресация...",
            "Деректерді енгізудің күту мерзімі аяқталды. Қайта бағыттау орындалуда...",
        ),
        InfoRedirecting => ("Redirecting...", "Происходит переадресация...", "Қайта бағыттау орындалуда..."),
        ActNoAttempts => ("No payment attempts", "Не было попыток оплаты", "Төлем жасау әрекеттері болған жоқ"),
        ActApproved => ("", "", ""),
        ActInsufficientFunds => ("Insufficient funds", "Недостаточно средств", "Картадағы қаражат жеткіліксіз"),
        ActIssuerDeclined => (
            "Declined by the issuer. Contact the bank that issued the card",
            "Отказ эмитента. Обратитесь в банк, выпустивший карту",
            "Эмитент бас тартты. Картаны шығарған банкке хабарласыңыз",
        ),
        ActAuthFailed => (
            "Operation not allowed. Cardholder authentication failed",
            "Операция не разрешена. Аутентификация держателя карты завершилась неуспешно",
            "Рұқсат етілмеген операция. Карта иесінің аутентификациясы сәтсіз аяқталды",
        ),
        ActAuthCancelled => (
            "Operation not allowed. Cardholder authentication failed (cancelled by the cardholder)",
            "Операция не разрешена. Аутентификация держателя карты завершилась неуспешно (отменена держателем карты)",
            "Рұқсат етілмеген операция. Карта иесінің аутентификациясы сәтсіз аяқталды (карта иесі бас тартты)",
        ),
        ActTimeout => ("Data entry timeout has expired", "Истёк срок ожидания ввода данных", "Деректерді енгізудің күту мерзімі аяқталды"),
        ActPending => (
            "Authentication in progress at the issuer",
            "Аутентификация у эмитента в процессе",
            "Эмитентте аутентификация жүріп жатыр",
        ),
    }
}
