//! Content checks for uploads: the extension must be one we accept and the first bytes must agree with it, so a
//! renamed executable or script is refused whatever its name says.
use crate::platform::error::{AppError, AppResult};

/// Extension → (content type, magic prefix; `None` = checked by `plain_text`).
const KINDS: &[(&str, &str, Option<&[u8]>)] = &[
    ("pdf", "application/pdf", Some(b"%PDF-")),
    ("png", "image/png", Some(b"\x89PNG\r\n\x1a\n")),
    ("jpg", "image/jpeg", Some(b"\xff\xd8\xff")),
    ("jpeg", "image/jpeg", Some(b"\xff\xd8\xff")),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some(b"PK\x03\x04"),
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some(b"PK\x03\x04"),
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        Some(b"PK\x03\x04"),
    ),
    ("zip", "application/zip", Some(b"PK\x03\x04")),
    ("txt", "text/plain; charset=utf-8", None),
];

const ALLOWED: &str = "pdf, png, jpg, docx, xlsx, pptx, zip, txt";

/// The file name without any folder part; refused when empty, too long or of a type we do not take.
pub fn clean_name(name: &str) -> AppResult<String> {
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    if base.is_empty() || base.chars().count() > 200 || base.chars().any(char::is_control) {
        return Err(AppError::field(
            "name",
            "文件名为空或过长 / The file name is empty or too long",
        ));
    }
    kind_of(&base)?;
    Ok(base)
}

fn kind_of(name: &str) -> AppResult<(&'static str, Option<&'static [u8]>)> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    KINDS
        .iter()
        .find(|(e, _, _)| *e == ext)
        .map(|(_, ct, magic)| (*ct, *magic))
        .ok_or_else(|| {
            AppError::field(
                "name",
                format!("不支持的文件类型，可上传：{ALLOWED} / Unsupported file type; allowed: {ALLOWED}"),
            )
        })
}

/// Text files must be UTF-8 without NUL bytes (which no text file has and every binary does).
fn plain_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0)
}

/// The content type to store, once the bytes agree with the name.
pub fn check(name: &str, bytes: &[u8]) -> AppResult<&'static str> {
    if bytes.is_empty() {
        return Err(AppError::field("file", "文件为空 / The file is empty"));
    }
    let (content_type, magic) = kind_of(name)?;
    let ok = match magic {
        Some(m) => bytes.starts_with(m),
        None => plain_text(bytes),
    };
    if ok {
        Ok(content_type)
    } else {
        Err(AppError::field(
            "file",
            "文件内容与扩展名不符 / The file's content does not match its extension",
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
}
