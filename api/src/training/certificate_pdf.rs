//! The certificate as a one-page PDF with a QR code to the public verification page. Written by hand rather than
//! through a layout engine: one page of positioned text and squares. The Chinese text is set in a subset of a CJK
//! font embedded in the file (`platform::pdf_font`), so every viewer shows every field; a certificate stays some
//! tens of kilobytes.
use qrcode::{Color, QrCode};

use crate::platform::pdf_font::{DocumentFont, FontFile, assemble, stream_text};

/// What the certificate shows.
#[derive(Debug, Clone)]
pub struct CertificateDoc {
    pub number: String,
    pub holder: String,
    pub program_name: String,
    pub program_year: i32,
    pub hours: f64,
    pub issued_on: String,
    pub issuer: String,
    pub verify_url: String,
    pub revoked: bool,
}

const PAGE_W: f64 = 842.0;
const PAGE_H: f64 = 595.0;

/// Where a line of text goes: centred on the page at a height, or from a point.
enum Place {
    Centred { y: f64 },
    At { x: f64, y: f64 },
}

/// One line of text of the certificate.
struct Line {
    text: String,
    size: f64,
    place: Place,
    /// Fill colour operator when not black.
    colour: Option<&'static str>,
}

fn centred(text: impl Into<String>, size: f64, y: f64) -> Line {
    Line {
        text: text.into(),
        size,
        place: Place::Centred { y },
        colour: None,
    }
}

fn at(text: impl Into<String>, size: f64, x: f64, y: f64) -> Line {
    Line {
        text: text.into(),
        size,
        place: Place::At { x, y },
        colour: None,
    }
}

/// The certificate is a Chinese official document (with an English line for foreign readers), the same whatever
/// the language of the request that fetched it: its wording is part of the document, not a message.
fn lines(doc: &CertificateDoc) -> Vec<Line> {
    let mut lines = vec![
        centred("培训证书", 40.0, 470.0),
        centred("Certificate of Training", 16.0, 440.0),
        centred(
            format!(
                "{} 同志参加 {} 年度 “{}”，完成 {} 学时，准予结业。",
                doc.holder, doc.program_year, doc.program_name, doc.hours
            ),
            18.0,
            360.0,
        ),
        centred(
            format!(
                "has completed {} hours of the program and is awarded this certificate.",
                doc.hours
            ),
            12.0,
            330.0,
        ),
        at(format!("证书编号 No.: {}", doc.number), 12.0, 80.0, 150.0),
        at(
            format!("发证日期 Issued: {}", doc.issued_on),
            12.0,
            80.0,
            128.0,
        ),
        at(
            format!("发证单位 Issuer: {}", doc.issuer),
            12.0,
            80.0,
            106.0,
        ),
        at("扫码或访问以下地址验证 Verify:", 9.0, 600.0, 62.0),
        at(doc.verify_url.clone(), 7.0, 600.0, 50.0),
    ];
    if doc.revoked {
        lines.push(Line {
            colour: Some("0.8 0 0 rg"),
            ..centred("已撤销 REVOKED", 48.0, 240.0)
        });
    }
    lines
}

/// The QR code as filled squares, `size` points wide, lower-left corner at (x, y).
fn qr(out: &mut String, url: &str, x: f64, y: f64, size: f64) {
    let Ok(code) = QrCode::new(url.as_bytes()) else {
        return;
    };
    let n = code.width();
    let colors = code.to_colors();
    // A quiet zone of 2 modules on each side.
    let module = size / (n as f64 + 4.0);
    out.push_str("0 0 0 rg\n");
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (row, col) = (i / n, i % n);
            let mx = x + (col as f64 + 2.0) * module;
            let my = y + size - (row as f64 + 3.0) * module;
            out.push_str(&format!("{mx:.2} {my:.2} {module:.2} {module:.2} re\n"));
        }
    }
    out.push_str("f\n");
}

fn content(doc: &CertificateDoc, lines: &[Line], font: &DocumentFont) -> String {
    // A double frame.
    let mut s = String::from("0.55 0.1 0.1 RG 3 w 30 30 782 535 re S 1 w 40 40 762 515 re S\n");
    for line in lines {
        let (x, y) = match line.place {
            Place::Centred { y } => ((PAGE_W - font.width_em(&line.text) * line.size) / 2.0, y),
            Place::At { x, y } => (x, y),
        };
        s.push_str(line.colour.unwrap_or("0 0 0 rg"));
        s.push_str(&format!(
            "\nBT /F1 {} Tf {x:.1} {y:.1} Td {} Tj ET\n",
            line.size,
            font.show(&line.text)
        ));
    }
    qr(&mut s, &doc.verify_url, 630.0, 72.0, 120.0);
    s
}

/// The PDF file, with `font` (a CJK font file) embedded as the subset of glyphs the certificate uses; without one
/// the text names the standard font.
pub fn render(doc: &CertificateDoc, font: Option<&FontFile>) -> Vec<u8> {
    let lines = lines(doc);
    let all_text: String = lines.iter().map(|l| l.text.as_str()).collect();
    let font = DocumentFont::for_text(font, &all_text);
    let stream = content(doc, &lines, &font);
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
             /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        )
        .into_bytes(),
        stream_text(&stream),
    ];
    objects.extend(font.objects(5));
    assemble(&objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(revoked: bool) -> CertificateDoc {
        CertificateDoc {
            number: "YX2026000100000011234".into(),
            holder: "张三".into(),
            program_name: "信息技术应用能力提升".into(),
            program_year: 2026,
            hours: 50.0,
            issued_on: "2026-11-29".into(),
            issuer: "四川省教育厅".into(),
            verify_url: "https://yanxiu.example.cn/verify/YX2026000100000011234".into(),
            revoked,
        }
    }

    #[test]
    fn the_cross_reference_table_points_at_each_object() {
        let pdf = render(&doc(false), None);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        // Offsets count bytes; the binary comment line is the only non-ASCII part, so blank it for a str view.
        let text: String = pdf
            .iter()
            .map(|b| if b.is_ascii() { *b as char } else { '?' })
            .collect();
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .expect("startxref");
        assert!(text[startxref..].starts_with("xref\n0 8\n"));
        let entries: Vec<usize> = text[startxref..]
            .lines()
            .skip(3)
            .take(7)
            .map(|l| l[..10].parse().expect("offset"))
            .collect();
        for (i, offset) in entries.iter().enumerate() {
            assert!(
                text[*offset..].starts_with(&format!("{} 0 obj", i + 1)),
                "object {} at {offset}",
                i + 1
            );
        }
    }

    #[test]
    fn without_a_font_file_the_text_names_the_standard_font() {
        let standard = DocumentFont::Standard;
        let codes = |text: &str| standard.show(text).trim_matches(['<', '>']).to_string();
        let pdf = render(&doc(false), None);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/STSong-Light"));
        assert!(text.contains(&codes("张三")), "holder name");
        assert!(text.contains(&codes("YX2026000100000011234")));
        assert!(text.matches(" re\n").count() > 100, "QR modules");
        assert!(!text.contains(&codes("已撤销")));
        assert!(String::from_utf8_lossy(&render(&doc(true), None)).contains(&codes("已撤销")));
    }

    /// The certificate as a reader sees it, through poppler (CI installs poppler-utils and fonts-noto-cjk): the
    /// font is embedded, the text extracts, and the number and date are drawn where they belong.
    #[test]
    fn poppler_finds_every_field_in_the_text_and_on_the_rendered_page() {
        let fonts = crate::platform::pdf_font::PdfFonts::new(None);
        let font = fonts.cjk().expect("a CJK font: install fonts-noto-cjk");
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("certificate.pdf");
        std::fs::write(&path, render(&doc(false), Some(&font))).expect("write");
        let run = |cmd: &str, args: &[&str]| {
            let out = std::process::Command::new(cmd)
                .args(args)
                .output()
                .unwrap_or_else(|e| panic!("{cmd} (install poppler-utils): {e}"));
            assert!(
                out.status.success(),
                "{cmd}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        let p = path.to_str().expect("utf-8 path");
        let fonts_listed = String::from_utf8_lossy(&run("pdffonts", &[p])).to_string();
        let font_rows: Vec<&str> = fonts_listed.lines().skip(2).collect();
        assert!(!font_rows.is_empty(), "{fonts_listed}");
        // Columns: name type encoding emb sub uni object ID — every font embedded, as a subset, with a ToUnicode map.
        assert!(
            font_rows.iter().all(|row| row.contains(" yes yes yes ")),
            "{fonts_listed}"
        );
        let text = String::from_utf8_lossy(&run("pdftotext", &["-layout", p, "-"])).to_string();
        for field in [
            "YX2026000100000011234",
            "2026-11-29",
            "完成 50 学时",
            "张三",
            "四川省教育厅",
        ] {
            assert!(text.contains(field), "{field} in {text}");
        }
        let page = run("pdftoppm", &["-r", "72", "-gray", p]);
        let ink = |rows: std::ops::Range<usize>, cols: std::ops::Range<usize>| {
            let (width, pixels) = pgm(&page);
            rows.flat_map(|r| cols.clone().map(move |c| r * width + c))
                .filter(|&i| pixels[i] < 128)
                .count()
        };
        // At 72 dpi a pixel is a point; rows count from the top (PDF y from the bottom). The number's digits
        // (baseline y = 150) start after its label, the date's (y = 128) likewise; between the English line
        // (y = 330) and the fields the page is blank.
        assert!(
            ink(434..450, 175..280) > 150,
            "the certificate number is drawn"
        );
        assert!(ink(456..472, 175..230) > 80, "the issue date is drawn");
        assert!(
            ink(280..420, 80..560) == 0,
            "the space above the fields is blank"
        );
    }

    /// Width and pixels of a binary greyscale PGM (P5) as pdftoppm writes it.
    fn pgm(data: &[u8]) -> (usize, &[u8]) {
        let mut fields = Vec::new();
        let mut at = 0;
        while fields.len() < 4 {
            while data[at].is_ascii_whitespace() {
                at += 1;
            }
            let start = at;
            while !data[at].is_ascii_whitespace() {
                at += 1;
            }
            fields.push(String::from_utf8_lossy(&data[start..at]).to_string());
        }
        assert_eq!(fields[0], "P5");
        let width = fields[1].parse().expect("width");
        (width, &data[at + 1..])
    }
}
