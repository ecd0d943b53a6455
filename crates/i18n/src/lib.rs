//! Fluent translations. Danish is the default, English by choice. All user-facing text lives
//! in `locales/*.ftl`; code refers to keys only.

use bro_domain::Language;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::langid;

pub const DA_FTL: &str = include_str!("../locales/da.ftl");
pub const EN_FTL: &str = include_str!("../locales/en.ftl");

pub struct I18n {
    da: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n")
    }
}

fn bundle(
    lang: unic_langid::LanguageIdentifier,
    source: &str,
) -> Result<FluentBundle<FluentResource>, String> {
    let resource =
        FluentResource::try_new(source.to_owned()).map_err(|(_, errs)| format!("{errs:?}"))?;
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // No Unicode isolation marks: the text goes into HTML, which handles direction itself.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|errs| format!("{errs:?}"))?;
    Ok(bundle)
}

impl I18n {
    pub fn new() -> Result<Self, String> {
        Ok(Self {
            da: bundle(langid!("da"), DA_FTL)?,
            en: bundle(langid!("en"), EN_FTL)?,
        })
    }

    fn bundle(&self, lang: Language) -> &FluentBundle<FluentResource> {
        match lang {
            Language::Da => &self.da,
            Language::En => &self.en,
        }
    }

    /// The text of `key`; the key itself when missing (a test keeps that from happening).
    pub fn get(&self, lang: Language, key: &str) -> String {
        self.format(lang, key, None)
    }

    pub fn get_with(&self, lang: Language, key: &str, args: &[(&str, String)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            // Numbers stay numbers so Fluent can choose plural forms.
            match v.parse::<i64>() {
                Ok(n) => fa.set(*k, FluentValue::from(n)),
                Err(_) => fa.set(*k, FluentValue::from(v.clone())),
            }
        }
        self.format(lang, key, Some(&fa))
    }

    fn format(&self, lang: Language, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    pub fn has(&self, lang: Language, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }
}

/// The message ids defined in one FTL source (for consistency tests).
pub fn message_ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_and_english_define_the_same_keys() {
        let mut da = message_ids(DA_FTL);
        let mut en = message_ids(EN_FTL);
        da.sort();
        en.sort();
        let only_da: Vec<_> = da.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !da.contains(k)).collect();
        assert!(
            only_da.is_empty() && only_en.is_empty(),
            "only in da: {only_da:?}; only in en: {only_en:?}"
        );
        let n = da.len();
        da.dedup();
        assert_eq!(n, da.len(), "duplicate keys in da.ftl");
    }

    #[test]
    fn bundles_parse_and_format() {
        let i = I18n::new().expect("ftl parses");
        assert_eq!(i.get(Language::Da, "login-submit"), "Log ind");
        assert_eq!(i.get(Language::En, "login-submit"), "Log in");
        assert_eq!(i.get(Language::Da, "no-such-key"), "no-such-key");
    }
}
