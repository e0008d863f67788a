//! Hostile workbooks, written by hand so every byte is what the test says: the import tests post them to every
//! spreadsheet entry point, the binary test to a real server whose peak memory it reads.
use std::{io::Write, sync::OnceLock};

use zip::{CompressionMethod, write::SimpleFileOptions};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// A workbook of one sheet; `deflate` compresses every part, otherwise they are stored as is.
fn workbook(sheet: &[u8], shared_strings: Option<&[u8]>, deflate: bool) -> Vec<u8> {
    let options = if deflate {
        SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
    } else {
        SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
    }
    .large_file(true);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut part = |name: &str, data: &[u8]| {
        zip.start_file(name, options).unwrap();
        zip.write_all(data).unwrap();
    };
    part("[Content_Types].xml", CONTENT_TYPES.as_bytes());
    part("_rels/.rels", ROOT_RELS.as_bytes());
    part("xl/workbook.xml", WORKBOOK.as_bytes());
    part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes());
    part("xl/worksheets/sheet1.xml", sheet);
    if let Some(strings) = shared_strings {
        part("xl/sharedStrings.xml", strings);
    }
    zip.finish().unwrap().into_inner()
}

/// Two cells whose used range is the whole grid, A1:XFD1048576: 4.8 KB that once asked for 512 GiB.
pub fn dimension_bomb() -> Vec<u8> {
    let sheet = format!(
        "{SHEET_HEAD}<dimension ref=\"A1:XFD1048576\"/><sheetData>\
         <row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c></row>\
         <row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData></worksheet>"
    );
    workbook(sheet.as_bytes(), None, true)
}

/// The same two cells without a `<dimension>`: the positions alone must be refused.
pub fn undeclared_dimension_bomb() -> Vec<u8> {
    let sheet = format!(
        "{SHEET_HEAD}<sheetData>\
         <row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c></row>\
         <row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData></worksheet>"
    );
    workbook(sheet.as_bytes(), None, true)
}

/// 1.1 million rows of one tiny cell, stored uncompressed (so no ratio check catches it): only the row budget
/// stops it. More rows than any import accepts.
pub fn row_bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let mut sheet = String::with_capacity(30_000_000);
        sheet.push_str(SHEET_HEAD);
        sheet.push_str("<sheetData>");
        for _ in 0..1_100_000 {
            sheet.push_str("<row><c><v>1</v></c></row>");
        }
        sheet.push_str("</sheetData></worksheet>");
        workbook(sheet.as_bytes(), None, false)
    })
}

/// 48 MB of shared strings deflated to a few hundred kilobytes.
pub fn zip_bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let count = 3_000_000;
        let mut strings = String::with_capacity(count * 16 + 200);
        strings.push_str(&format!(
            "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
             count=\"{count}\" uniqueCount=\"{count}\">"
        ));
        for _ in 0..count {
            strings.push_str("<si><t>a</t></si>");
        }
        strings.push_str("</sst>");
        let sheet = format!(
            "{SHEET_HEAD}<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>"
        );
        workbook(sheet.as_bytes(), Some(strings.as_bytes()), true)
    })
}

/// A real ZIP whose worksheet stops in the middle of a cell.
pub fn malformed_xlsx() -> Vec<u8> {
    let sheet = format!("{SHEET_HEAD}<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0");
    workbook(sheet.as_bytes(), None, true)
}

/// A workbook announcing four billion shared strings (the reader would reserve them all).
pub fn shared_count_bomb() -> Vec<u8> {
    let strings = "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
                   count=\"4000000000\" uniqueCount=\"4000000000\"><si><t>a</t></si></sst>";
    let sheet = format!(
        "{SHEET_HEAD}<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>"
    );
    workbook(sheet.as_bytes(), Some(strings.as_bytes()), true)
}
