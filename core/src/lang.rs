//! The shopper's language: the gateway answers errorMessage in it, and the module's own messages follow it.

/// A language the gateway and the module both speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    En,
    Ru,
    Kk,
}

impl Language {
    /// Parses `en`, `ru`, `kk` (any case, region suffixes ignored: `ru-RU` → Ru). Unknown → None.
    pub fn parse(tag: &str) -> Option<Language> {
        let primary = crate::text::split_any(tag, b"-_")
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Language::En),
            "ru" => Some(Language::Ru),
            "kk" | "kz" => Some(Language::Kk),
            _ => None,
        }
    }

    /// The value of the gateway's `language` parameter.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ru => "ru",
            Language::Kk => "kk",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_and_regions() {
        assert_eq!(Language::parse("ru-RU"), Some(Language::Ru));
        assert_eq!(Language::parse("KK"), Some(Language::Kk));
        assert_eq!(Language::parse("en_GB"), Some(Language::En));
        assert_eq!(Language::parse("de"), None);
        assert_eq!(Language::parse(""), None);
    }
}
