//! Identity codes of the domain: 学校标识码, 身份证号, phone numbers and e-mail addresses.
use chrono::{Datelike, NaiveDate, Utc};

use super::labels::Gender;
use crate::platform::i18n::{Text, catalogue::directory as dm};

/// 10 digits: 2-digit school category, 2-digit province, 6-digit sequence. The county is NOT in the code.
pub fn school_code(code: &str, province_prefix: &str) -> Result<(), Text> {
    if code.len() != 10 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(dm::SchoolCodeDigits.into());
    }
    let category = &code[..2];
    let valid_category = matches!(
        category.as_bytes()[0],
        b'1' | b'2' | b'3' | b'4' | b'5' | b'9'
    ) && category.as_bytes()[1] != b'0';
    if !valid_category {
        return Err(dm::SchoolCategoryUnknown {
            code: category.to_string(),
        }
        .into());
    }
    if &code[2..4] != province_prefix {
        return Err(dm::SchoolCodeProvince {
            code: province_prefix.to_string(),
        }
        .into());
    }
    Ok(())
}

/// The ISO 7064 MOD 11-2 check character of the first 17 digits.
pub fn id_card_check_char(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    Some(CHECK[(sum % 11) as usize])
}

/// A valid 18-character 身份证号, normalised to upper case, with its birth date.
pub fn id_card(raw: &str) -> Result<(String, NaiveDate), Text> {
    let id = raw.trim().to_uppercase();
    // ASCII first: the length and the slices below count bytes, and a multi-byte character must not split.
    if !id.is_ascii() || id.len() != 18 || !id[..17].bytes().all(|b| b.is_ascii_digit()) {
        return Err(dm::IdCardShape.into());
    }
    let last = id.chars().last().unwrap_or(' ');
    if !(last.is_ascii_digit() || last == 'X') {
        return Err(dm::IdCardLast.into());
    }
    let birth = NaiveDate::parse_from_str(&id[6..14], "%Y%m%d")
        .map_err(|_| Text::from(dm::IdCardBirthInvalid))?;
    let age = Utc::now().date_naive().year() - birth.year();
    if !(16..=90).contains(&age) {
        return Err(dm::IdCardBirthRange.into());
    }
    if id_card_check_char(&id[..17]) != Some(last) {
        return Err(dm::IdCardCheckDigit.into());
    }
    Ok((id, birth))
}

/// Male when the 17th digit is odd, female when even.
pub fn gender_from_id(id: &str) -> Gender {
    match id.as_bytes().get(16).map(|b| (b - b'0') % 2) {
        Some(1) => Gender::Male,
        _ => Gender::Female,
    }
}

/// Mainland mobile number: 11 digits starting with 1.
pub fn phone(raw: &str) -> Result<String, Text> {
    let p: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if p.len() == 11 && p.starts_with('1') && p.bytes().all(|b| b.is_ascii_digit()) {
        Ok(p)
    } else {
        Err(dm::PhoneInvalid.into())
    }
}

pub fn email(raw: &str) -> Result<String, Text> {
    let e = raw.trim();
    let ok = e.len() <= 128
        && e.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.starts_with('.')
        })
        && !e.contains(char::is_whitespace);
    if ok {
        Ok(e.to_string())
    } else {
        Err(dm::EmailInvalid.into())
    }
}

/// Characters that change how a name is displayed without being seen: bidi embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069) make "admin\u{202E}txt.exe" read differently from what is stored, and
/// zero-width ones (U+200B–U+200F, U+2060, U+FEFF) make two different names look the same.
fn is_invisible_formatting(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}')
}

/// A name a person reads (teacher, school, account display name …): trimmed, not empty, and free of control
/// characters and of invisible formatting characters, so what is shown is what is stored.
pub fn human_name(raw: &str) -> Result<String, Text> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(dm::NameRequired.into());
    }
    if name.chars().any(is_invisible_formatting) {
        return Err(dm::NameInvisibleCharacters.into());
    }
    if name.chars().any(char::is_control) {
        return Err(dm::NameControlCharacters.into());
    }
    Ok(name.to_string())
}

/// Builds a valid ID number from an area code, a birth date and a 3-digit sequence (demo data, tests, benchmarks).
pub fn make_id_card(area: &str, birth: NaiveDate, seq: u32) -> String {
    let first17 = format!("{area}{}{:03}", birth.format("%Y%m%d"), seq % 1000);
    let check = id_card_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_of_eighteen_bytes_but_not_characters_are_refused() {
        // 2 + 2×2 + 3×4 bytes: slicing at byte 17 would split a character.
        assert!(id_card("00\u{80}\u{80}\u{10000}\u{10000}\u{10000}").is_err());
        assert!(id_card("５１０１０４１９９００１").is_err());
    }

    #[test]
    fn known_id_numbers_pass_and_corrupted_fail() {
        // Check digit computed by hand: weights sum for 11010519491231002 is 167, 167 % 11 = 2 → 'X'.
        assert_eq!(id_card_check_char("11010519491231002"), Some('X'));
        assert!(id_card("11010519491231002x").is_ok());
        let generated = make_id_card(
            "510104",
            NaiveDate::from_ymd_opt(1985, 6, 15).expect("date"),
            123,
        );
        assert!(id_card(&generated).is_ok());
        let mut wrong = generated.clone();
        wrong.replace_range(17..18, if generated.ends_with('1') { "2" } else { "1" });
        assert!(id_card(&wrong).is_err());
        assert!(id_card("51010419850230123X").is_err(), "Feb 30 is no date");
        assert!(id_card("5101041985").is_err());
    }

    #[test]
    fn gender_follows_seventeenth_digit() {
        assert_eq!(gender_from_id("510104198506151231"), Gender::Male);
        assert_eq!(gender_from_id("510104198506151221"), Gender::Female);
    }

    #[test]
    fn school_codes() {
        assert!(school_code("2151000123", "51").is_ok());
        assert!(school_code("2152000123", "51").is_err());
        assert!(school_code("0051000123", "51").is_err());
        assert!(school_code("21510001", "51").is_err());
    }

    #[test]
    fn names_refuse_invisible_formatting_and_control_characters() {
        assert_eq!(human_name("  张伟 ").as_deref(), Ok("张伟"));
        assert_eq!(
            human_name("Anne-Marie O'Neil").as_deref(),
            Ok("Anne-Marie O'Neil")
        );
        for bad in [
            "张\u{202E}伟",
            "a\u{202A}b",
            "a\u{2066}b",
            "a\u{2069}",
            "a\u{200B}b",
            "a\u{200F}",
            "a\u{2060}b",
            "\u{FEFF}a",
            "a\u{0}b",
            "a\nb",
            "   ",
        ] {
            assert!(human_name(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn phones_and_emails() {
        assert_eq!(phone("138-1234-1234").as_deref(), Ok("13812341234"));
        assert!(phone("23812341234").is_err());
        assert!(email("a@b.cn").is_ok());
        assert!(email("a@b").is_err());
    }
}
