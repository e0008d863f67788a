//! A plain printable document as PDF: a title, then lines of text (headings and table rows), A4 landscape, as many
//! pages as the lines need, each page numbered. Reports and a teacher's training record print through it; the
//! Chinese text is set in a subset of the CJK font embedded in the file, as the certificate's is.
use super::pdf_font::{DocumentFont, FontFile, assemble, stream_text};

const PAGE_W: f64 = 842.0;
const PAGE_H: f64 = 595.0;
const MARGIN: f64 = 40.0;
const TITLE_SIZE: f64 = 16.0;
const LINE_SIZE: f64 = 9.0;
const LEADING: f64 = 13.0;

/// One line of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum DocLine {
    /// A section heading, set larger.
    Heading(String),
    /// Cells of a table row, set in the columns' x positions (points from the left margin).
    Row(Vec<String>),
    Blank,
}

/// Column positions: each cell starts at the given offset from the left margin.
pub struct Document<'a> {
    pub title: &'a str,
    pub columns: &'a [f64],
    pub lines: &'a [DocLine],
}

fn lines_per_page() -> usize {
    ((PAGE_H - 2.0 * MARGIN - 2.0 * LEADING) / LEADING) as usize
}

fn page_content(
    doc: &Document,
    page: &[DocLine],
    number: usize,
    pages: usize,
    font: &DocumentFont,
) -> String {
    let mut s = String::from("0 0 0 rg\n");
    let mut text = |size: f64, x: f64, y: f64, t: &str| {
        s.push_str(&format!(
            "BT /F1 {size} Tf {x:.1} {y:.1} Td {} Tj ET\n",
            font.show(t)
        ));
    };
    text(TITLE_SIZE, MARGIN, PAGE_H - MARGIN, doc.title);
    let mut y = PAGE_H - MARGIN - 2.0 * LEADING;
    for line in page {
        match line {
            DocLine::Heading(h) => text(LINE_SIZE + 2.0, MARGIN, y, h),
            DocLine::Row(cells) => {
                for (cell, x) in cells.iter().zip(doc.columns) {
                    text(LINE_SIZE, MARGIN + x, y, cell);
                }
            }
            DocLine::Blank => {}
        }
        y -= LEADING;
    }
    text(
        LINE_SIZE,
        PAGE_W - MARGIN - 40.0,
        MARGIN / 2.0,
        &format!("{number} / {pages}"),
    );
    s
}

/// Every string the document draws, for the font subset.
fn all_text(doc: &Document, pages: usize) -> String {
    let mut all = String::from(doc.title);
    for line in doc.lines {
        match line {
            DocLine::Heading(h) => all.push_str(h),
            DocLine::Row(cells) => cells.iter().for_each(|c| all.push_str(c)),
            DocLine::Blank => {}
        }
    }
    all.push_str(&format!("0123456789 / {pages}"));
    all
}

/// The PDF file: objects 1 catalog, 2 page tree, then a page and its content per page, then the font.
pub fn render(doc: &Document, font: Option<&FontFile>) -> Vec<u8> {
    let chunks: Vec<&[DocLine]> = if doc.lines.is_empty() {
        vec![&[]]
    } else {
        doc.lines.chunks(lines_per_page()).collect()
    };
    let pages = chunks.len();
    let font = DocumentFont::for_text(font, &all_text(doc, pages));
    let font_object = 3 + 2 * pages;
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 3 + 2 * i)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        )
        .into_bytes(),
    ];
    for (i, chunk) in chunks.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
                 /Resources << /Font << /F1 {font_object} 0 R >> >> /Contents {} 0 R >>",
                4 + 2 * i
            )
            .into_bytes(),
        );
        objects.push(stream_text(&page_content(doc, chunk, i + 1, pages, &font)));
    }
    objects.extend(font.objects(font_object));
    assemble(&objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_documents_get_more_pages() {
        let lines: Vec<DocLine> = (0..100)
            .map(|i| DocLine::Row(vec![i.to_string(), "锦江区".into()]))
            .collect();
        let doc = Document {
            title: "年度报表",
            columns: &[0.0, 80.0],
            lines: &lines,
        };
        let pdf = String::from_utf8_lossy(&render(&doc, None)).to_string();
        let pages = lines.len().div_ceil(lines_per_page());
        assert!(pages > 1);
        assert!(pdf.contains(&format!("/Count {pages}")));
        assert!(pdf.ends_with("%%EOF\n"));
    }
}
