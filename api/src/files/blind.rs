//! Blind copies: what a reviewer of a blind round downloads instead of the teacher's own bytes. Office documents
//! keep their content but lose the document properties (creator, last modified by, company, manager, title …)
//! and the names of comment and revision authors; MP4 videos are remuxed without container, stream and chapter
//! metadata (no re-encode); PDFs have the Info dictionary's and XMP's author, creator, producer and title blanked
//! in place. Other types have nothing we strip and are served as they are.
//!
//! A copy is made once per file, on the first blind reviewer's access, kept in the object store and remembered in
//! `blind_copies`. That row is also the lock: whoever inserts it (or takes over an abandoned one) makes the copy,
//! everyone else waits for it, so two reviewers — on any instances — never make it twice.
use std::{
    io::{Read, Write},
    path::Path,
    time::Duration,
};

use chrono::Utc;
use entity::{
    blind_copy::{self, BlindCopyStatus},
    file,
};
use futures_util::StreamExt;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, Set, sea_query::Expr, sea_query::OnConflict,
};
use tokio::io::AsyncWriteExt;

use crate::{
    AppState,
    platform::error::{AppError, AppResult},
};

/// How long a maker holds the lock; a maker that died is taken over after this.
const MAKING_LOCK_SECONDS: i64 = 600;
/// How long a second reader waits for the maker before getting a "try again" answer.
const WAIT_FOR_MAKER: Duration = Duration::from_secs(120);
/// Zip budget: entries in one document, and decompressed bytes read from the parts we rewrite (the others are
/// copied compressed, never inflated), so a zip bomb costs at most this much.
const MAX_ZIP_ENTRIES: usize = 20_000;
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
const MAX_REWRITTEN_BYTES: u64 = 256 * 1024 * 1024;
/// PDFs are blanked in memory: larger ones cannot be cleaned (and are then not served to blind reviewers).
const MAX_PDF_BYTES: u64 = 512 * 1024 * 1024;

const OFFICE_PREFIX: &str = "application/vnd.openxmlformats-officedocument.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cleaner {
    Office,
    Mp4,
    Pdf,
}

fn cleaner_for(content_type: &str) -> Option<Cleaner> {
    if content_type.starts_with(OFFICE_PREFIX) {
        Some(Cleaner::Office)
    } else if content_type == "video/mp4" {
        Some(Cleaner::Mp4)
    } else if content_type == "application/pdf" {
        Some(Cleaner::Pdf)
    } else {
        None
    }
}

/// The file as a blind reviewer receives it: the same row with the bytes of its blind copy (made now when it is
/// the first access). Types with nothing to strip come back unchanged.
pub async fn for_blind_review(state: &AppState, f: &file::Model) -> AppResult<file::Model> {
    if cleaner_for(&f.content_type).is_none() {
        return Ok(f.clone());
    }
    let copy = ready_copy(state, f).await?;
    let key = copy
        .storage_key
        .ok_or_else(|| AppError::internal("blind copy without key"))?;
    Ok(file::Model {
        sha256: format!("blind-{}", key.rsplit('/').next().unwrap_or_default()),
        storage_key: key,
        size: copy.size.unwrap_or_default(),
        ..f.clone()
    })
}

async fn ready_copy(state: &AppState, f: &file::Model) -> AppResult<blind_copy::Model> {
    let deadline = tokio::time::Instant::now() + WAIT_FOR_MAKER;
    loop {
        let row = blind_copy::Entity::find_by_id(f.id).one(&state.db).await?;
        if let Some(row) = row.filter(|r| r.status == BlindCopyStatus::Ready) {
            return Ok(row);
        }
        if claim(&state.db, f.id).await? {
            return make(state, f).await;
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(not_ready());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

fn not_ready() -> AppError {
    AppError::Conflict {
        field: None,
        message: crate::platform::i18n::catalogue::files::BlindCopyPending.into(),
    }
}

/// Takes the making lock: a new row, or an abandoned or failed one. False when someone else holds it.
async fn claim(db: &impl ConnectionTrait, file_id: i64) -> AppResult<bool> {
    let now = Utc::now();
    let until = now + chrono::Duration::seconds(MAKING_LOCK_SECONDS);
    let inserted = blind_copy::Entity::insert(blind_copy::ActiveModel {
        file_id: Set(file_id),
        status: Set(BlindCopyStatus::Making),
        storage_key: Set(None),
        size: Set(None),
        locked_until: Set(Some(until)),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(blind_copy::Column::FileId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted == 1 {
        return Ok(true);
    }
    let taken = blind_copy::Entity::update_many()
        .col_expr(
            blind_copy::Column::Status,
            Expr::value(BlindCopyStatus::Making.to_value()),
        )
        .col_expr(blind_copy::Column::LockedUntil, Expr::value(until))
        .col_expr(blind_copy::Column::UpdatedAt, Expr::value(now))
        .filter(blind_copy::Column::FileId.eq(file_id))
        .filter(
            Condition::any()
                .add(blind_copy::Column::Status.eq(BlindCopyStatus::Failed))
                .add(
                    Condition::all()
                        .add(blind_copy::Column::Status.eq(BlindCopyStatus::Making))
                        .add(blind_copy::Column::LockedUntil.lt(now)),
                ),
        )
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// Makes the copy under the lock and records the outcome; a failure is kept (and retried by the next reader).
async fn make(state: &AppState, f: &file::Model) -> AppResult<blind_copy::Model> {
    let key = format!("blind/{}/{}", f.id, uuid::Uuid::new_v4());
    let made = clean_into_store(state, f, &key).await;
    let row = blind_copy::Entity::find_by_id(f.id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::internal("blind copy row vanished"))?;
    let mut active: blind_copy::ActiveModel = row.into();
    active.locked_until = Set(None);
    active.updated_at = Set(Utc::now());
    match made {
        Ok(size) => {
            active.status = Set(BlindCopyStatus::Ready);
            active.storage_key = Set(Some(key));
            active.size = Set(Some(size));
            active.last_error = Set(None);
            Ok(active.update(&state.db).await?)
        }
        Err(e) => {
            tracing::warn!(file = f.id, error = %e, "could not make a blind copy");
            active.status = Set(BlindCopyStatus::Failed);
            active.last_error = Set(Some(e.to_string().chars().take(2000).collect()));
            active.update(&state.db).await?;
            Err(AppError::Rule {
                code: "blind_copy_failed",
                detail: crate::platform::i18n::catalogue::files::BlindCopyFailed.into(),
                errors: vec![],
            })
        }
    }
}

/// Downloads the original to a temp file, cleans it into another, stores that under `key`; its size.
async fn clean_into_store(state: &AppState, f: &file::Model, key: &str) -> anyhow::Result<i64> {
    let cleaner = cleaner_for(&f.content_type).ok_or_else(|| anyhow::anyhow!("no cleaner"))?;
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("original");
    let output = dir.path().join("blind");
    {
        let mut out = tokio::fs::File::create(&input).await?;
        let mut stream = state.storage.get_stream(&f.storage_key, None).await?;
        while let Some(chunk) = stream.next().await {
            out.write_all(&chunk?).await?;
        }
        out.flush().await?;
    }
    match cleaner {
        Cleaner::Mp4 => remux_without_metadata(&state.config.ffmpeg_path, &input, &output).await?,
        Cleaner::Office => {
            let (i, o) = (input.clone(), output.clone());
            tokio::task::spawn_blocking(move || clean_office(&i, &o)).await??
        }
        Cleaner::Pdf => {
            let (i, o) = (input.clone(), output.clone());
            tokio::task::spawn_blocking(move || clean_pdf(&i, &o)).await??
        }
    }
    let size = tokio::fs::metadata(&output).await?.len();
    let mut writer = state.storage.writer(key, 8 * 1024 * 1024).await?;
    let mut cleaned = tokio::fs::File::open(&output).await?;
    let mut buf = vec![0u8; 1024 * 1024];
    loop {
        let n = tokio::io::AsyncReadExt::read(&mut cleaned, &mut buf).await?;
        if n == 0 {
            break;
        }
        writer.wait_for_capacity(2).await?;
        writer.put(bytes::Bytes::copy_from_slice(&buf[..n]));
    }
    writer.finish().await?;
    Ok(i64::try_from(size)?)
}

/// Copies the streams (video, audio) as they are, without global, stream or chapter metadata, and without
/// ffmpeg's own encoder tag; subtitle and data tracks (which may carry names) are left out.
async fn remux_without_metadata(ffmpeg: &str, input: &Path, output: &Path) -> anyhow::Result<()> {
    let result = tokio::process::Command::new(ffmpeg)
        .args(["-v", "error", "-nostdin", "-y", "-i"])
        .arg(input)
        .args([
            "-map",
            "0:v?",
            "-map",
            "0:a?",
            "-map_metadata",
            "-1",
            "-map_metadata:s:v",
            "-1",
            "-map_metadata:s:a",
            "-1",
            "-map_chapters",
            "-1",
            "-c",
            "copy",
            "-fflags",
            "+bitexact",
            "-flags:v",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
        ])
        .arg(output)
        .kill_on_drop(true)
        .output()
        .await?;
    if !result.status.success() {
        anyhow::bail!("ffmpeg remux: {}", String::from_utf8_lossy(&result.stderr));
    }
    Ok(())
}

/// What happens to one part of an Office (OOXML) package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Copied compressed, never inflated.
    Keep,
    /// Replaced by an empty document of the same kind.
    Replace(&'static str),
    /// Inflated (within the budget) with the author names in it blanked.
    BlankAuthors,
}

const EMPTY_CORE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>"#;
const EMPTY_APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>"#;
const EMPTY_CUSTOM: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>"#;
const EMPTY_CUSTOM_XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><root/>"#;

fn part_of(name: &str) -> Part {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "docprops/core.xml" => Part::Replace(EMPTY_CORE),
        "docprops/app.xml" => Part::Replace(EMPTY_APP),
        "docprops/custom.xml" => Part::Replace(EMPTY_CUSTOM),
        _ if lower.starts_with("customxml/item")
            && !lower.starts_with("customxml/itemprops")
            && lower.ends_with(".xml") =>
        {
            Part::Replace(EMPTY_CUSTOM_XML)
        }
        // Word keeps comment and revision authors in its parts; PowerPoint and Excel in their comment parts.
        _ if lower.starts_with("word/") && lower.ends_with(".xml") => Part::BlankAuthors,
        "ppt/commentauthors.xml" | "xl/persons/person.xml" => Part::BlankAuthors,
        _ if lower.starts_with("xl/comments") && lower.ends_with(".xml") => Part::BlankAuthors,
        _ => Part::Keep,
    }
}

/// Attributes whose values name a person in OOXML parts.
const AUTHOR_ATTRIBUTES: &[&str] = &[
    "w:author",
    "w:initials",
    "w15:userId",
    "w15:providerId",
    "name",
    "initials",
    "displayName",
    "userId",
    "providerId",
];

/// The values of the author attributes emptied, and `<author>` elements (Excel comments) emptied.
fn blank_authors(xml: &str) -> String {
    let mut out = xml.to_string();
    for attr in AUTHOR_ATTRIBUTES {
        out = blank_attribute(&out, attr);
    }
    blank_element(&out, "author")
}

/// ` attr="…"` → ` attr=""` (only where `attr` is a whole attribute name, preceded by white space).
fn blank_attribute(xml: &str, attr: &str) -> String {
    let needle = format!("{attr}=\"");
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(&needle) {
        let whole_name = rest[..at].ends_with(|c: char| c.is_ascii_whitespace());
        let value_start = at + needle.len();
        let Some(len) = rest[value_start..].find('"') else {
            break;
        };
        if whole_name {
            out.push_str(&rest[..value_start]);
        } else {
            out.push_str(&rest[..value_start + len]);
        }
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out
}

/// `<name>…</name>` → `<name></name>`.
fn blank_element(xml: &str, name: &str) -> String {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(&open) {
        let content = at + open.len();
        let Some(len) = rest[content..].find(&close) else {
            break;
        };
        out.push_str(&rest[..content]);
        rest = &rest[content + len..];
    }
    out.push_str(rest);
    out
}

/// Rewrites an OOXML package (a zip) part by part, within the zip budget.
fn clean_office(input: &Path, output: &Path) -> anyhow::Result<()> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(input)?)?;
    if archive.len() > MAX_ZIP_ENTRIES {
        anyhow::bail!(
            "{} entries exceed the budget of {MAX_ZIP_ENTRIES}",
            archive.len()
        );
    }
    let mut out = zip::ZipWriter::new(std::fs::File::create(output)?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut inflated = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i)?;
        let name = entry.name()?.to_string();
        match part_of(&name) {
            Part::Keep => out.raw_copy_file(entry)?,
            Part::Replace(content) => {
                drop(entry);
                out.start_file(name, options)?;
                out.write_all(content.as_bytes())?;
            }
            Part::BlankAuthors => {
                drop(entry);
                let mut text = String::new();
                let read = archive
                    .by_index(i)?
                    .take(MAX_PART_BYTES + 1)
                    .read_to_string(&mut text)? as u64;
                inflated += read;
                if read > MAX_PART_BYTES || inflated > MAX_REWRITTEN_BYTES {
                    anyhow::bail!("{name} inflates beyond the budget");
                }
                out.start_file(name, options)?;
                out.write_all(blank_authors(&text).as_bytes())?;
            }
        }
    }
    out.finish()?;
    Ok(())
}

/// Info dictionary keys and XMP elements that name the author or the software and its owner.
const PDF_INFO_KEYS: &[&[u8]] = &[
    b"/Author",
    b"/Creator",
    b"/Producer",
    b"/Title",
    b"/Subject",
    b"/Keywords",
];
const XMP_ELEMENTS: &[&str] = &[
    "dc:creator",
    "dc:title",
    "dc:description",
    "dc:rights",
    "dc:subject",
    "pdf:Producer",
    "pdf:Keywords",
    "xmp:CreatorTool",
    "xmpMM:DocumentID",
    "xmpMM:InstanceID",
    "photoshop:AuthorsPosition",
];

/// Blanks the PDF's Info strings and XMP values in place with spaces, so every byte offset (and the xref table)
/// stays valid. What sits in compressed object streams is not reached; see the README.
fn clean_pdf(input: &Path, output: &Path) -> anyhow::Result<()> {
    let len = std::fs::metadata(input)?.len();
    if len > MAX_PDF_BYTES {
        anyhow::bail!("PDF of {len} bytes exceeds the cleaning budget");
    }
    let mut bytes = std::fs::read(input)?;
    blank_pdf_info(&mut bytes);
    blank_xmp(&mut bytes);
    std::fs::write(output, bytes)?;
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// `/Author (…)` or `/Author <…>`: the string's content becomes spaces (a literal) or zeros (hex).
fn blank_pdf_info(pdf: &mut [u8]) {
    for key in PDF_INFO_KEYS {
        let mut from = 0;
        while let Some(at) = find(pdf, key, from) {
            let mut i = at + key.len();
            from = i;
            // The key must end here (`/Title` is not `/TitleX`).
            if pdf.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            while pdf.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
                i += 1;
            }
            match pdf.get(i) {
                Some(b'(') => from = blank_literal(pdf, i + 1),
                Some(b'<') if pdf.get(i + 1) != Some(&b'<') => {
                    let mut j = i + 1;
                    while j < pdf.len() && pdf[j] != b'>' {
                        if pdf[j].is_ascii_hexdigit() {
                            pdf[j] = b'0';
                        }
                        j += 1;
                    }
                    from = j;
                }
                _ => {}
            }
        }
    }
}

/// Spaces over a literal string's content from `start` to its closing parenthesis (nesting and escapes
/// respected); returns the position after it.
fn blank_literal(pdf: &mut [u8], start: usize) -> usize {
    let mut depth = 1;
    let mut i = start;
    while i < pdf.len() {
        match pdf[i] {
            b'\\' => {
                pdf[i] = b' ';
                if i + 1 < pdf.len() {
                    pdf[i + 1] = b' ';
                }
                i += 2;
                continue;
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        pdf[i] = b' ';
        i += 1;
    }
    i
}

/// `<dc:creator>…</dc:creator>` (and the other elements) in uncompressed XMP: the content becomes spaces.
fn blank_xmp(pdf: &mut [u8]) {
    for element in XMP_ELEMENTS {
        let open = format!("<{element}");
        let close = format!("</{element}>");
        let mut from = 0;
        while let Some(at) = find(pdf, open.as_bytes(), from) {
            let Some(tag_end) = find(pdf, b">", at) else {
                break;
            };
            let Some(end) = find(pdf, close.as_bytes(), tag_end) else {
                break;
            };
            // Keep nested tags (rdf:Seq, rdf:li) so the XML stays well formed; blank the text between them.
            let mut in_tag = false;
            for b in &mut pdf[tag_end + 1..end] {
                match *b {
                    b'<' => in_tag = true,
                    b'>' => in_tag = false,
                    _ if !in_tag => *b = b' ',
                    _ => {}
                }
            }
            from = end + close.len();
        }
        // Attribute form: dc:creator="…" or pdf:Producer="…".
        let needle = format!("{element}=\"");
        let mut from = 0;
        while let Some(at) = find(pdf, needle.as_bytes(), from) {
            let start = at + needle.len();
            let mut j = start;
            while j < pdf.len() && pdf[j] != b'"' {
                pdf[j] = b' ';
                j += 1;
            }
            from = j;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_attributes_and_elements_are_emptied() {
        let xml = r#"<w:comment w:id="1" w:author="张老师" w:initials="ZL"><w:p/></w:comment><x:name name="x" rename="keep"/><author>李老师</author>"#;
        let out = blank_authors(xml);
        assert!(!out.contains("张老师") && !out.contains("ZL") && !out.contains("李老师"));
        assert!(out.contains(r#"rename="keep""#), "{out}");
        assert!(out.contains(r#"w:id="1""#));
    }

    #[test]
    fn pdf_info_and_xmp_are_blanked_in_place() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Title (Lesson \\(1\\) by Zhang) /Author <5A68616E67> /Producer (W) /TitleX (k) >> endobj\n<x:xmpmeta><dc:creator><rdf:Seq><rdf:li>Zhang San</rdf:li></rdf:Seq></dc:creator><xmp:CreatorTool>WPS</xmp:CreatorTool></x:xmpmeta>".to_vec();
        let mut cleaned = pdf.clone();
        blank_pdf_info(&mut cleaned);
        blank_xmp(&mut cleaned);
        assert_eq!(cleaned.len(), pdf.len());
        let text = String::from_utf8_lossy(&cleaned);
        assert!(
            !text.contains("Zhang") && !text.contains("5A68") && !text.contains("WPS"),
            "{text}"
        );
        assert!(text.contains("/TitleX (k)"));
        assert!(text.contains("<rdf:li>"));
    }

    #[test]
    fn parts_are_sorted_by_what_they_may_hold() {
        assert_eq!(part_of("docProps/core.xml"), Part::Replace(EMPTY_CORE));
        assert_eq!(part_of("word/comments.xml"), Part::BlankAuthors);
        assert_eq!(part_of("customXml/itemProps1.xml"), Part::Keep);
        assert_eq!(
            part_of("customXml/item1.xml"),
            Part::Replace(EMPTY_CUSTOM_XML)
        );
        assert_eq!(part_of("word/media/image1.png"), Part::Keep);
        assert_eq!(part_of("xl/comments1.xml"), Part::BlankAuthors);
    }
}
