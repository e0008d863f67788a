//! The server's human text, written once per language and rendered in the language of the request.
//!
//! Every message is a catalogue entry (see [`catalogue`]) with a stable snake_case `code`, typed parameters and
//! one template per language. Problems, field reasons, mails and export headers carry entries, never strings; the
//! text is chosen when it leaves the server, from `Accept-Language` (Chinese unless the caller asks for English),
//! or, in a background job, from the language stored with the job.
use std::{borrow::Cow, future::Future, sync::Arc};

pub mod catalogue;
mod code;
mod params;

pub use code::ProblemCode;
pub use params::Params;

/// The languages the server writes.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// 中文, the default.
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the language from an `Accept-Language` header: the preferred (highest `q`) of `zh*` and `en*`;
    /// Chinese when neither is named.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(header) = header else {
            return Lang::Zh;
        };
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = if tag == "en" || tag.starts_with("en-") {
                Lang::En
            } else if tag == "zh" || tag.starts_with("zh-") {
                Lang::Zh
            } else {
                continue;
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// The stored form (jobs keep the language of the request that queued them).
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Lang {
        match s {
            "en" => Lang::En,
            _ => Lang::Zh,
        }
    }
}

/// What the request (or the job) being served is: its language and its id. A job that writes text when it runs
/// stores [`current_context`] in its payload (`#[serde(default)] context: RequestContext`) and runs under
/// [`scope`] with it, so its text is in the language of the request that queued it (Chinese when none did).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RequestContext {
    pub lang: Lang,
    pub request_id: Option<String>,
}

tokio::task_local! {
    static CONTEXT: RequestContext;
}

/// Runs `fut` with `ctx` as the current language and request id.
pub async fn scope<F: Future>(ctx: RequestContext, fut: F) -> F::Output {
    CONTEXT.scope(ctx, fut).await
}

/// Runs `f` on this thread with `ctx` as the current language and id: for a thread the request's work moves to.
pub fn sync_scope<R>(ctx: RequestContext, f: impl FnOnce() -> R) -> R {
    CONTEXT.sync_scope(ctx, f)
}

/// Runs `f` on a blocking thread in the current request's language and id, so text it renders (a refused file, row
/// errors) speaks the request's language.
pub async fn spawn_blocking<R: Send + 'static>(
    f: impl FnOnce() -> R + Send + 'static,
) -> Result<R, tokio::task::JoinError> {
    let ctx = current_context();
    tokio::task::spawn_blocking(move || sync_scope(ctx, f)).await
}

/// The language of the current request or job; Chinese outside of one.
pub fn current_lang() -> Lang {
    CONTEXT.try_with(|c| c.lang).unwrap_or_default()
}

/// The language and id of the current request, to store with a job it queues.
pub fn current_context() -> RequestContext {
    CONTEXT.try_with(Clone::clone).unwrap_or_default()
}

/// The id of the current request (the `x-request-id` header answered), if any.
pub fn current_request_id() -> Option<String> {
    CONTEXT.try_with(|c| c.request_id.clone()).ok().flatten()
}

/// One catalogue entry with its parameters: declared by [`crate::messages!`].
pub trait Message: Send + Sync + std::fmt::Debug + 'static {
    /// The stable machine code (also an item of the spec's `ProblemCode` enum).
    fn code(&self) -> &'static str;
    /// The typed parameters, for the SPA to render its own text from.
    fn params(&self) -> Params;
    /// The text in `lang`.
    fn render(&self, lang: Lang) -> String;
}

/// A message in flight: a catalogue entry, or plain text that is the same in every language (a reason from a
/// library, a value echoed back).
#[derive(Debug, Clone)]
pub enum Text {
    Msg(Arc<dyn Message>),
    Plain(Cow<'static, str>),
}

impl<M: Message> From<M> for Text {
    fn from(m: M) -> Self {
        Text::Msg(Arc::new(m))
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Self {
        Text::Plain(Cow::Borrowed(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text::Plain(Cow::Owned(s.clone()))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Plain(Cow::Owned(s))
    }
}

impl Text {
    /// The catalogue code; `None` for a plain literal.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Text::Msg(m) => Some(m.code()),
            Text::Plain(_) => None,
        }
    }

    /// The parameters, `None` when there are none.
    pub fn params(&self) -> Option<Params> {
        match self {
            Text::Msg(m) => Some(m.params()).filter(|p| !p.is_empty()),
            Text::Plain(_) => None,
        }
    }

    pub fn render(&self, lang: Lang) -> String {
        match self {
            Text::Msg(m) => m.render(lang),
            Text::Plain(s) => s.to_string(),
        }
    }

    /// The text in the current request's language.
    pub fn render_current(&self) -> String {
        self.render(current_lang())
    }
}

/// Two texts are equal when they say the same in every language.
impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.code() == other.code()
            && [Lang::Zh, Lang::En]
                .into_iter()
                .all(|l| self.render(l) == other.render(l))
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render_current())
    }
}

/// Items of a list inside a message, joined as the current language writes a list ("甲、乙", "a, b").
pub fn join_list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let separator = match current_lang() {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    items
        .into_iter()
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(separator)
}

/// Text stored once and read later by anyone, in either language (a note in the hours ledger): both renderings,
/// "中文 / English".
pub fn in_both_languages(msg: impl Message) -> String {
    format!("{} / {}", msg.render(Lang::Zh), msg.render(Lang::En))
}

/// Renders `msg` in the current language: for text that is not a problem (mail, export headers, report lines).
pub fn t(msg: impl Message) -> String {
    msg.render(current_lang())
}

/// Declares catalogue entries: one struct per message (a unit struct when it has no parameters) implementing
/// [`Message`], and `CODES`, the file's codes for the spec. Parameters are named in the templates as `{name}`
/// (any `format!` spec works) and each must be a field of [`Params`] of the same type.
///
/// ```ignore
/// messages! {
///     /// Withdrawal after the program started.
///     EnrollmentNotWithdrawable = "enrollment_not_withdrawable" {}
///         zh: "该报名不能撤销", en: "This enrolment cannot be withdrawn";
///     ScoreAboveMax = "score_above_max" { max: f64 }
///         zh: "分数不能超过 {max}", en: "The score may not exceed {max}";
/// }
/// ```
#[macro_export]
macro_rules! messages {
    ($( $(#[$meta:meta])* $name:ident = $code:literal { $($p:ident : $t:ty),* $(,)? } zh: $zh:literal, en: $en:literal; )*) => {
        $( $crate::messages!(@one $(#[$meta])* $name = $code { $($p : $t),* } zh: $zh, en: $en); )*
        /// Every code this file declares (the spec's `ProblemCode` enum lists them).
        pub const CODES: &[&str] = &[$($code),*];
    };
    (@one $(#[$meta:meta])* $name:ident = $code:literal { } zh: $zh:literal, en: $en:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;
        impl $crate::platform::i18n::Message for $name {
            fn code(&self) -> &'static str {
                $code
            }
            fn params(&self) -> $crate::platform::i18n::Params {
                $crate::platform::i18n::Params::default()
            }
            #[allow(clippy::useless_format)]
            fn render(&self, lang: $crate::platform::i18n::Lang) -> String {
                match lang {
                    $crate::platform::i18n::Lang::Zh => format!($zh),
                    $crate::platform::i18n::Lang::En => format!($en),
                }
            }
        }
    };
    (@one $(#[$meta:meta])* $name:ident = $code:literal { $($p:ident : $t:ty),+ } zh: $zh:literal, en: $en:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $(pub $p: $t),+
        }
        impl $crate::platform::i18n::Message for $name {
            fn code(&self) -> &'static str {
                $code
            }
            #[allow(clippy::useless_conversion, clippy::clone_on_copy)]
            fn params(&self) -> $crate::platform::i18n::Params {
                $crate::platform::i18n::Params {
                    $($p: Some(self.$p.clone().into()),)+
                    ..Default::default()
                }
            }
            #[allow(unused_variables)]
            fn render(&self, lang: $crate::platform::i18n::Lang) -> String {
                let Self { $($p),+ } = self;
                match lang {
                    $crate::platform::i18n::Lang::Zh => format!($zh),
                    $crate::platform::i18n::Lang::En => format!($en),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language() {
        assert_eq!(Lang::from_accept_language(None), Lang::Zh);
        assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("zh-CN,en;q=0.8")), Lang::Zh);
        assert_eq!(Lang::from_accept_language(Some("fr, en;q=0.5")), Lang::En);
        assert_eq!(
            Lang::from_accept_language(Some("en;q=0.2, zh;q=0.9")),
            Lang::Zh
        );
        assert_eq!(Lang::from_accept_language(Some("de")), Lang::Zh);
    }

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in catalogue::codes() {
            assert!(seen.insert(code), "duplicate code {code}");
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{code}"
            );
        }
    }
}
