//! The certificate as a one-page PDF with a QR code to the public verification page. Written by hand rather than
//! through a layout engine: one page of positioned text and squares. Chinese text uses the PDF standard CJK font
//! STSong-Light with the UniGB-UCS2-H encoding, which every conforming reader supplies, so no font file is
//! embedded and a certificate stays a few kilobytes.
use qrcode::{Color, QrCode};

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

/// UTF-16BE hex for the UCS-2 CMap; characters outside the BMP cannot be shown and become '?'.
fn ucs2_hex(text: &str) -> String {
    text.chars()
        .map(|c| {
            let u = u32::from(c);
            if u > 0xFFFF { 0x3F } else { u }
        })
        .map(|u| format!("{u:04X}"))
        .collect()
}

/// Rough advance width in em: Latin half, CJK full — enough to centre a line.
fn width_em(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

fn centred(out: &mut String, text: &str, size: f64, y: f64) {
    let x = (PAGE_W - width_em(text) * size) / 2.0;
    out.push_str(&format!(
        "BT /F1 {size} Tf {x:.1} {y:.1} Td <{}> Tj ET\n",
        ucs2_hex(text)
    ));
}

fn at(out: &mut String, text: &str, size: f64, x: f64, y: f64) {
    out.push_str(&format!(
        "BT /F1 {size} Tf {x:.1} {y:.1} Td <{}> Tj ET\n",
        ucs2_hex(text)
    ));
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

/// The certificate is a Chinese official document (with an English line for foreign readers), the same whatever
/// the language of the request that fetched it: its wording is part of the document, not a message.
fn content(doc: &CertificateDoc) -> String {
    let mut s = String::new();
    // A double frame.
    s.push_str("0.55 0.1 0.1 RG 3 w 30 30 782 535 re S 1 w 40 40 762 515 re S\n0 0 0 rg\n");
    centred(&mut s, "培训证书", 40.0, 470.0);
    centred(&mut s, "Certificate of Training", 16.0, 440.0);
    let body = format!(
        "{} 同志参加 {} 年度 “{}”，完成 {} 学时，准予结业。",
        doc.holder, doc.program_year, doc.program_name, doc.hours
    );
    centred(&mut s, &body, 18.0, 360.0);
    let en = format!(
        "has completed {} hours of the program and is awarded this certificate.",
        doc.hours
    );
    centred(&mut s, &en, 12.0, 330.0);
    at(
        &mut s,
        &format!("证书编号 No.: {}", doc.number),
        12.0,
        80.0,
        150.0,
    );
    at(
        &mut s,
        &format!("发证日期 Issued: {}", doc.issued_on),
        12.0,
        80.0,
        128.0,
    );
    at(
        &mut s,
        &format!("发证单位 Issuer: {}", doc.issuer),
        12.0,
        80.0,
        106.0,
    );
    at(&mut s, "扫码或访问以下地址验证 Verify:", 9.0, 600.0, 62.0);
    at(&mut s, &doc.verify_url, 7.0, 600.0, 50.0);
    qr(&mut s, &doc.verify_url, 630.0, 72.0, 120.0);
    if doc.revoked {
        s.push_str("0.8 0 0 rg\n");
        centred(&mut s, "已撤销 REVOKED", 48.0, 240.0);
    }
    s
}

/// The PDF file: objects, cross-reference table and trailer, with byte offsets counted as it is written.
pub fn render(doc: &CertificateDoc) -> Vec<u8> {
    let stream = content(doc);
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
             /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        ),
        format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()),
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H \
         /DescendantFonts [6 0 R] >>"
            .to_string(),
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> \
         /FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>"
            .to_string(),
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] \
         /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
            .to_string(),
    ];
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
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
        let pdf = render(&doc(false));
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
    fn text_is_encoded_for_the_cjk_font_and_the_qr_code_is_drawn() {
        let pdf = render(&doc(false));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains(&ucs2_hex("张三")), "holder name");
        assert!(text.contains(&ucs2_hex("YX2026000100000011234")));
        assert!(text.matches(" re\n").count() > 100, "QR modules");
        assert!(!text.contains(&ucs2_hex("已撤销")));
        assert!(String::from_utf8_lossy(&render(&doc(true))).contains(&ucs2_hex("已撤销")));
        assert_eq!(ucs2_hex("学A"), "5B660041");
    }
}
