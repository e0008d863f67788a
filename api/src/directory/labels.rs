//! How the directory's closed sets read to people: each value's label in the request's language (exports, field
//! errors) and the spellings accepted from spreadsheets and forms, which use the Chinese labels.
use crate::platform::i18n::{Lang, Message, catalogue::directory as dm, current_lang};

pub use entity::{
    school::{Stage, UrbanRural},
    teacher::Gender,
};

/// A closed set of the directory whose values have labels in the catalogue.
pub trait Labelled: Copy + 'static {
    /// Every value, in declaration order.
    fn values() -> &'static [Self];
    /// The stored (and API) value.
    fn value(self) -> &'static str;
    /// The catalogue entry naming this value.
    fn message(self) -> &'static dyn Message;
    /// Older spellings spreadsheets still use for this value, besides its labels.
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }

    /// The label in the current language.
    fn label(self) -> String {
        self.message().render(current_lang())
    }

    /// The value named by `input`: its stored value or its label in either language (what an export writes), or an
    /// older spelling.
    fn from_input(input: &str) -> Option<Self> {
        let input = input.trim();
        Self::values().iter().copied().find(|v| {
            v.value() == input
                || v.aliases().contains(&input)
                || [Lang::Zh, Lang::En]
                    .into_iter()
                    .any(|lang| v.message().render(lang).eq_ignore_ascii_case(input))
        })
    }

    /// Every label in the current language, for a message listing what is allowed.
    fn allowed() -> String {
        crate::platform::i18n::join_list(Self::values().iter().map(|v| v.label()))
    }
}

impl Labelled for Stage {
    fn values() -> &'static [Self] {
        &Stage::ALL
    }

    fn value(self) -> &'static str {
        self.as_str()
    }

    fn message(self) -> &'static dyn Message {
        match self {
            Stage::Kindergarten => &dm::StageKindergarten,
            Stage::Primary => &dm::StagePrimary,
            Stage::JuniorSecondary => &dm::StageJuniorSecondary,
            Stage::SeniorSecondary => &dm::StageSeniorSecondary,
            Stage::NineYear => &dm::StageNineYear,
            Stage::TwelveYear => &dm::StageTwelveYear,
            Stage::CompleteSecondary => &dm::StageCompleteSecondary,
            Stage::Vocational => &dm::StageVocational,
            Stage::SpecialEducation => &dm::StageSpecialEducation,
            Stage::Other => &dm::StageOther,
        }
    }
}

impl Labelled for UrbanRural {
    fn values() -> &'static [Self] {
        &UrbanRural::ALL
    }

    fn value(self) -> &'static str {
        self.as_str()
    }

    fn message(self) -> &'static dyn Message {
        match self {
            UrbanRural::Urban => &dm::UrbanRuralUrban,
            UrbanRural::Town => &dm::UrbanRuralTown,
            UrbanRural::Rural => &dm::UrbanRuralRural,
        }
    }

    /// The names of the older statistics standard.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            UrbanRural::Urban => &["城市"],
            UrbanRural::Town => &["县镇"],
            UrbanRural::Rural => &["农村"],
        }
    }
}

impl Labelled for Gender {
    fn values() -> &'static [Self] {
        &Gender::ALL
    }

    fn value(self) -> &'static str {
        self.as_str()
    }

    fn message(self) -> &'static dyn Message {
        match self {
            Gender::Male => &dm::GenderMale,
            Gender::Female => &dm::GenderFemale,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_labels_and_aliases_are_accepted() {
        assert_eq!(Stage::from_input("primary"), Some(Stage::Primary));
        assert_eq!(Stage::from_input(" 小学 "), Some(Stage::Primary));
        assert_eq!(
            Stage::from_input("junior secondary"),
            Some(Stage::JuniorSecondary)
        );
        assert_eq!(Stage::from_input("大学"), None);
        assert_eq!(UrbanRural::from_input("农村"), Some(UrbanRural::Rural));
        assert_eq!(UrbanRural::from_input("Town"), Some(UrbanRural::Town));
        assert_eq!(Gender::from_input("女"), Some(Gender::Female));
    }

    #[test]
    fn every_label_reads_back_as_its_value_in_both_languages() {
        for stage in Stage::ALL {
            for lang in [Lang::Zh, Lang::En] {
                assert_eq!(
                    Stage::from_input(&stage.message().render(lang)),
                    Some(stage)
                );
            }
        }
    }
}
