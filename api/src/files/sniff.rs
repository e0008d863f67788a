//! Content checks for uploads: the extension must be one we accept and the first bytes must agree with it, so a
//! renamed executable or script is refused whatever its name says.
use crate::platform::error::{AppError, AppResult};

/// How a kind is recognised by content: magic bytes at an offset, or (`None`) by `plain_text`.
type Magic = Option<(usize, &'static [u8])>;

const ZIP: Magic = Some((0, b"PK\x03\x04"));
/// OLE2 compound documents: the old Office formats (doc, xls, ppt).
const OLE2: Magic = Some((0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"));

/// Extension → (content type, magic, taken for small uploads, taken for lesson files).
const KINDS: &[(&str, &str, Magic, bool, bool)] = &[
    ("pdf", "application/pdf", Some((0, b"%PDF-")), true, true),
    (
        "png",
        "image/png",
        Some((0, b"\x89PNG\r\n\x1a\n")),
        true,
        true,
    ),
    ("jpg", "image/jpeg", Some((0, b"\xff\xd8\xff")), true, true),
    ("jpeg", "image/jpeg", Some((0, b"\xff\xd8\xff")), true, true),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
        true,
        true,
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP,
        true,
        true,
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ZIP,
        true,
        true,
    ),
    ("zip", "application/zip", ZIP, true, true),
    ("txt", "text/plain; charset=utf-8", None, true, false),
    ("doc", "application/msword", OLE2, false, true),
    ("xls", "application/vnd.ms-excel", OLE2, false, true),
    ("ppt", "application/vnd.ms-powerpoint", OLE2, false, true),
    // ISO base media: a box size, then `ftyp`.
    ("mp4", "video/mp4", Some((4, b"ftyp")), false, true),
];

/// Every content type a stored file can be served as, once each (for the API contract).
pub fn content_types() -> Vec<&'static str> {
    let mut types: Vec<&'static str> = Vec::new();
    for (_, content_type, ..) in KINDS {
        if !types.contains(content_type) {
            types.push(content_type);
        }
    }
    types
}

const ALLOWED: &str = "pdf, png, jpg, docx, xlsx, pptx, zip, txt";
const ALLOWED_LESSON: &str = "mp4, pdf, doc, docx, ppt, pptx, xls, xlsx, zip, png, jpg";

/// Which list of types applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// Evidence, coursework and 能力点 attachments.
    Small,
    /// 一师一优课 files: the lesson video, 课件, 教学设计 and the other items.
    Lesson,
}

/// The file name without any folder part; refused when empty, too long or of a type we do not take.
pub fn clean_name(name: &str) -> AppResult<String> {
    clean_name_for(name, Accept::Small)
}

/// [`clean_name`] for a list of accepted types.
pub fn clean_name_for(name: &str, accept: Accept) -> AppResult<String> {
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    if base.is_empty() || base.chars().count() > 200 || base.chars().any(char::is_control) {
        return Err(AppError::field(
            "name",
            crate::platform::i18n::catalogue::files::FileNameInvalid,
        ));
    }
    kind_of(&base, accept)?;
    Ok(base)
}

fn kind_of(name: &str, accept: Accept) -> AppResult<(&'static str, Magic)> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let allowed = match accept {
        Accept::Small => ALLOWED,
        Accept::Lesson => ALLOWED_LESSON,
    };
    KINDS
        .iter()
        .find(|(e, _, _, small, lesson)| {
            *e == ext
                && match accept {
                    Accept::Small => *small,
                    Accept::Lesson => *lesson,
                }
        })
        .map(|(_, ct, magic, _, _)| (*ct, *magic))
        .ok_or_else(|| {
            AppError::field(
                "name",
                crate::platform::i18n::catalogue::files::FileTypeUnsupported {
                    allowed: allowed.to_string(),
                },
            )
        })
}

/// How many leading bytes [`check`] needs to decide.
pub const SNIFF_BYTES: usize = 4096;

/// Text files must be UTF-8 without NUL bytes (which no text file has and every binary does).
fn plain_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0)
}

/// The content type to store, once the bytes agree with the name.
pub fn check(name: &str, bytes: &[u8]) -> AppResult<&'static str> {
    check_for(name, bytes, Accept::Small)
}

/// [`check`] for a list of accepted types; `head` is the whole file or at least its first [`SNIFF_BYTES`].
pub fn check_for(name: &str, head: &[u8], accept: Accept) -> AppResult<&'static str> {
    if head.is_empty() {
        return Err(AppError::field(
            "file",
            crate::platform::i18n::catalogue::files::FileEmpty,
        ));
    }
    let (content_type, magic) = kind_of(name, accept)?;
    let ok = match magic {
        Some((at, m)) => head.get(at..).is_some_and(|rest| rest.starts_with(m)),
        None => plain_text(head),
    };
    if ok {
        Ok(content_type)
    } else {
        Err(AppError::field(
            "file",
            crate::platform::i18n::catalogue::files::FileContentMismatch,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_folders_and_need_a_known_extension() {
        assert_eq!(
            clean_name("C:\\tmp\\证明.PDF").ok(),
            Some("证明.PDF".into())
        );
        assert_eq!(clean_name("../../a.png").ok(), Some("a.png".into()));
        assert!(clean_name("run.exe").is_err());
        assert!(clean_name("noext").is_err());
        assert!(clean_name("  ").is_err());
    }

    #[test]
    fn content_must_match_the_extension() {
        assert_eq!(
            check("a.pdf", b"%PDF-1.7 ...").ok(),
            Some("application/pdf")
        );
        assert!(check("a.pdf", b"MZ\x90\x00").is_err());
        assert!(check("a.png", b"%PDF-1.7").is_err());
        assert!(check("notes.txt", "学时证明".as_bytes()).is_ok());
        assert!(check("notes.txt", b"\x00\x01binary").is_err());
        assert!(check("a.pdf", b"").is_err());
    }

    #[test]
    fn lesson_files_take_video_and_old_office_formats() {
        let mp4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00";
        assert_eq!(
            check_for("课堂实录.MP4", mp4, Accept::Lesson).ok(),
            Some("video/mp4")
        );
        assert!(check_for("a.mp4", b"%PDF-1.7", Accept::Lesson).is_err());
        assert!(
            check_for(
                "a.doc",
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1..",
                Accept::Lesson
            )
            .is_ok()
        );
        // Videos are lesson items only, text files never are.
        assert!(clean_name("a.mp4").is_err());
        assert!(clean_name_for("a.txt", Accept::Lesson).is_err());
        assert!(check_for("a.mp4", b"\x00\x00", Accept::Lesson).is_err());
    }
}
