//! The CJK font of generated PDFs (certificates, printed records), embedded as a subset of the glyphs a document
//! uses. Referring to a standard CJK font by name (STSong-Light) keeps a file small, but many viewers have no such
//! font and silently drop every glyph they cannot find — the year, hours, number and date vanish. Embedding the
//! whole font is out of the question (CJK fonts are tens of megabytes), so each document carries only its glyphs,
//! typically a few kilobytes.
//!
//! The font is read once, when the first document needs it, from `YANXIU_PDF_FONT` or the places Linux
//! distributions install Noto CJK and WenQuanYi. Without one, documents fall back to the named standard font and
//! the server says so at start.
use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    sync::{Arc, OnceLock},
};

use ttf_parser::{Face, GlyphId, RawFace, Tag};

/// Where distributions put a CJK font with simplified-Chinese forms; a serif (宋体-like) face first, as official
/// documents use one.
const KNOWN_LOCATIONS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
];

/// A character every CJK font for Chinese has; a face without it is not one.
const PROBE: char = '证';

/// A font file held in memory, and which face of a collection to use.
pub struct FontFile {
    data: Vec<u8>,
    index: u32,
    pub path: PathBuf,
}

impl FontFile {
    /// Reads `path` and picks its simplified-Chinese face (collections hold one face per region: the Noto CJK
    /// faces share glyphs but map some characters to regional forms). Errors say what is wrong with the file.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let data = std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("cannot read the PDF font {}: {e}", path.display()))?;
        let faces = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        let usable: Vec<u32> = (0..faces)
            .filter(|&i| Face::parse(&data, i).is_ok_and(|face| face.glyph_index(PROBE).is_some()))
            .collect();
        let index = usable
            .iter()
            .copied()
            .find(|&i| Face::parse(&data, i).is_ok_and(|face| is_simplified_chinese(&face)))
            .or_else(|| usable.first().copied())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{} has no face with Chinese characters (YANXIU_PDF_FONT)",
                    path.display()
                )
            })?;
        Ok(Self {
            data,
            index,
            path: path.to_path_buf(),
        })
    }

    fn face(&self) -> Face<'_> {
        // `open` parsed this face already.
        Face::parse(&self.data, self.index).expect("a face checked when the file was opened")
    }
}

fn is_simplified_chinese(face: &Face) -> bool {
    face.names().into_iter().any(|name| {
        name.name_id == ttf_parser::name_id::FAMILY
            && name
                .to_string()
                .is_some_and(|family| family.ends_with(" SC") || family.contains("Micro Hei"))
    })
}

/// The PDF font of a process: configured or found, loaded on first use and then shared.
#[derive(Default)]
pub struct PdfFonts {
    configured: Option<PathBuf>,
    loaded: OnceLock<Option<Arc<FontFile>>>,
}

impl PdfFonts {
    pub fn new(configured: Option<PathBuf>) -> Self {
        Self {
            configured,
            loaded: OnceLock::new(),
        }
    }

    /// The font to embed, or None when there is none (documents then name the standard font). A configured path
    /// that cannot be used is logged and treated as none rather than failing every download.
    pub fn cjk(&self) -> Option<Arc<FontFile>> {
        self.loaded
            .get_or_init(|| {
                let candidates: Vec<PathBuf> = match &self.configured {
                    Some(path) => vec![path.clone()],
                    None => KNOWN_LOCATIONS.iter().map(PathBuf::from).collect(),
                };
                candidates
                    .iter()
                    .filter(|path| path.exists() || self.configured.is_some())
                    .find_map(|path| match FontFile::open(path) {
                        Ok(font) => Some(Arc::new(font)),
                        Err(e) => {
                            tracing::warn!(error = %e, "PDF font unusable");
                            None
                        }
                    })
            })
            .clone()
    }

    /// One line for the start-up log: which font PDFs embed, or that they will not embed one.
    pub fn describe(&self) -> String {
        match self.cjk() {
            Some(font) => format!("PDFs embed glyphs of {}", font.path.display()),
            None => "no CJK font found (set YANXIU_PDF_FONT or install fonts-noto-cjk): PDFs name the standard \
                     font STSong-Light, which some viewers lack"
                .into(),
        }
    }
}

/// A font ready for one document: every character the document shows has a two-byte code in it.
pub enum DocumentFont {
    /// A subset of a real font, embedded in the file.
    Embedded(Subset),
    /// The standard CJK font named by reference (UCS-2 codes); nothing embedded.
    Standard,
}

/// The glyphs of one document cut from a font file.
pub struct Subset {
    /// Character → code (= CID = glyph id in the subset).
    codes: BTreeMap<char, u16>,
    /// Code → advance width in thousandths of an em.
    widths: BTreeMap<u16, u16>,
    program: Vec<u8>,
    outlines: Outlines,
    base_font: String,
    ascent: i32,
    descent: i32,
    bbox: [i32; 4],
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Outlines {
    /// CFF outlines (Noto CJK): the subset's `CFF ` table is embedded as CIDFontType0C.
    Cff,
    /// TrueType outlines (WenQuanYi): the whole subset font is embedded as FontFile2.
    TrueType,
}

impl DocumentFont {
    /// The font for a document that shows the characters of `text` (every string it will draw, concatenated).
    pub fn for_text(font: Option<&FontFile>, text: &str) -> Self {
        match font.map(|f| Subset::cut(f, text)) {
            Some(Ok(subset)) => Self::Embedded(subset),
            Some(Err(e)) => {
                tracing::warn!(error = %e, "PDF font subsetting failed; naming the standard font");
                Self::Standard
            }
            None => Self::Standard,
        }
    }

    /// `text` as a PDF hex string in this font's codes.
    pub fn show(&self, text: &str) -> String {
        let codes: String = match self {
            Self::Embedded(subset) => text
                .chars()
                .map(|c| format!("{:04X}", subset.codes.get(&c).copied().unwrap_or(0)))
                .collect(),
            Self::Standard => text
                .chars()
                .map(u32::from)
                .map(|u| if u > 0xFFFF { 0x3F } else { u })
                .map(|u| format!("{u:04X}"))
                .collect(),
        };
        format!("<{codes}>")
    }

    /// Width of `text` in ems (for centring).
    pub fn width_em(&self, text: &str) -> f64 {
        match self {
            Self::Embedded(subset) => {
                text.chars()
                    .map(|c| {
                        let code = subset.codes.get(&c).copied().unwrap_or(0);
                        f64::from(subset.widths.get(&code).copied().unwrap_or(1000))
                    })
                    .sum::<f64>()
                    / 1000.0
            }
            // The standard font's widths are not at hand: Latin half, CJK full is close enough.
            Self::Standard => text
                .chars()
                .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
                .sum(),
        }
    }

    /// The PDF objects of the font, numbered from `first` (the Type0 font the page resources name is `first`).
    pub fn objects(&self, first: usize) -> Vec<Vec<u8>> {
        match self {
            Self::Embedded(subset) => subset.objects(first),
            Self::Standard => standard_objects(first),
        }
    }
}

impl Subset {
    fn cut(font: &FontFile, text: &str) -> anyhow::Result<Self> {
        let face = font.face();
        let outlines = if face.raw_face().table(Tag::from_bytes(b"CFF ")).is_some() {
            Outlines::Cff
        } else if face.raw_face().table(Tag::from_bytes(b"glyf")).is_some() {
            Outlines::TrueType
        } else {
            anyhow::bail!("{}: neither CFF nor TrueType outlines", font.path.display());
        };
        let mut remapper = subsetter::GlyphRemapper::new();
        let mut old_of_char = BTreeMap::new();
        for c in text.chars().filter(|c| !c.is_control()) {
            // A character the font lacks shows as its .notdef box rather than disappearing.
            let old = face.glyph_index(c).unwrap_or(GlyphId(0));
            remapper.remap(old.0);
            old_of_char.insert(c, old);
        }
        let subset = subsetter::subset(&font.data, font.index, &remapper)
            .map_err(|e| anyhow::anyhow!("subsetting {}: {e:?}", font.path.display()))?;
        let program = match outlines {
            Outlines::Cff => RawFace::parse(&subset, 0)
                .ok()
                .and_then(|raw| raw.table(Tag::from_bytes(b"CFF ")))
                .ok_or_else(|| anyhow::anyhow!("the subset has no CFF table"))?
                .to_vec(),
            Outlines::TrueType => subset,
        };
        let em = f64::from(face.units_per_em());
        let per_mille = |units: f64| (units * 1000.0 / em).round() as i32;
        let mut codes = BTreeMap::new();
        let mut widths = BTreeMap::new();
        for (c, old) in old_of_char {
            let code = remapper.get(old.0).unwrap_or(0);
            codes.insert(c, code);
            let advance = face
                .glyph_hor_advance(old)
                .map_or(1000, |a| per_mille(a.into()));
            widths.insert(code, u16::try_from(advance).unwrap_or(1000));
        }
        let b = face.global_bounding_box();
        Ok(Self {
            codes,
            widths,
            program,
            outlines,
            base_font: format!("{}+{}", subset_tag(text), postscript_name(&face)),
            ascent: per_mille(face.ascender().into()),
            descent: per_mille(face.descender().into()),
            bbox: [
                per_mille(b.x_min.into()),
                per_mille(b.y_min.into()),
                per_mille(b.x_max.into()),
                per_mille(b.y_max.into()),
            ],
        })
    }

    fn objects(&self, first: usize) -> Vec<Vec<u8>> {
        let (cid_font, descriptor, file, to_unicode) = (first + 1, first + 2, first + 3, first + 4);
        let name = &self.base_font;
        let type0 = format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H \
             /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>"
        );
        let widths: String = self
            .widths
            .iter()
            .map(|(code, w)| format!("{code} [{w}] "))
            .collect();
        let (subtype, gid_map) = match self.outlines {
            Outlines::Cff => ("CIDFontType0", ""),
            Outlines::TrueType => ("CIDFontType2", " /CIDToGIDMap /Identity"),
        };
        let cid = format!(
            "<< /Type /Font /Subtype /{subtype} /BaseFont /{name} \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
             /FontDescriptor {descriptor} 0 R /DW 1000 /W [{widths}]{gid_map} >>"
        );
        let [x0, y0, x1, y1] = self.bbox;
        let file_key = match self.outlines {
            Outlines::Cff => "FontFile3",
            Outlines::TrueType => "FontFile2",
        };
        let desc = format!(
            "<< /Type /FontDescriptor /FontName /{name} /Flags 4 /FontBBox [{x0} {y0} {x1} {y1}] \
             /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80 /{file_key} {file} 0 R >>",
            self.ascent, self.descent, self.ascent
        );
        let file_dict = match self.outlines {
            Outlines::Cff => format!(
                "<< /Subtype /CIDFontType0C /Length {} >>",
                self.program.len()
            ),
            Outlines::TrueType => format!(
                "<< /Length {} /Length1 {} >>",
                self.program.len(),
                self.program.len()
            ),
        };
        vec![
            type0.into_bytes(),
            cid.into_bytes(),
            desc.into_bytes(),
            stream(&file_dict, &self.program),
            stream_text(&self.to_unicode()),
        ]
    }

    /// The CMap that lets a reader copy and search the text: code → Unicode.
    fn to_unicode(&self) -> String {
        let mut pairs: Vec<(u16, char)> = self.codes.iter().map(|(c, code)| (*code, *c)).collect();
        pairs.sort();
        pairs.dedup_by_key(|(code, _)| *code);
        let mut out = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        // A bfchar block holds at most 100 entries.
        for block in pairs.chunks(100) {
            out.push_str(&format!("{} beginbfchar\n", block.len()));
            for (code, c) in block {
                let utf16: String = c
                    .encode_utf16(&mut [0; 2])
                    .iter()
                    .map(|u| format!("{u:04X}"))
                    .collect();
                out.push_str(&format!("<{code:04X}> <{utf16}>\n"));
            }
            out.push_str("endbfchar\n");
        }
        out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        out
    }
}

/// Six capital letters naming this subset (the PDF convention `ABCDEF+Name`), derived from the text so the same
/// document gets the same name.
fn subset_tag(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

fn postscript_name(face: &Face) -> String {
    face.names()
        .into_iter()
        .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .and_then(|n| n.to_string())
        .map(|n| {
            n.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .filter(|n: &String| !n.is_empty())
        .unwrap_or_else(|| "CJKFont".into())
}

/// STSong-Light with the UniGB-UCS2-H encoding: a font every conforming reader should supply, named not embedded.
fn standard_objects(first: usize) -> Vec<Vec<u8>> {
    let (cid_font, descriptor) = (first + 1, first + 2);
    vec![
        format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H \
             /DescendantFonts [{cid_font} 0 R] >>"
        )
        .into_bytes(),
        format!(
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> \
             /FontDescriptor {descriptor} 0 R /DW 1000 /W [1 95 500] >>"
        )
        .into_bytes(),
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] \
         /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
            .as_bytes()
            .to_vec(),
    ]
}

/// A stream object: its dictionary, then the bytes.
pub fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("{dict}\nstream\n").into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// A stream of text (content or CMap) with its length.
pub fn stream_text(text: &str) -> Vec<u8> {
    stream(&format!("<< /Length {} >>", text.len()), text.as_bytes())
}

/// A PDF file from its objects (numbered 1… in order; object 1 is the catalog): header, objects, cross-reference
/// table with byte offsets, trailer.
pub fn assemble(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
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

    #[test]
    fn the_standard_font_uses_ucs2_codes() {
        let font = DocumentFont::for_text(None, "学A");
        assert_eq!(font.show("学A"), "<5B660041>");
        assert_eq!(font.show("😀"), "<003F>");
        assert_eq!(font.objects(5).len(), 3);
    }

    #[test]
    fn subset_tags_are_six_capitals_and_stable() {
        let tag = subset_tag("证书");
        assert_eq!(tag.len(), 6);
        assert!(tag.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(tag, subset_tag("证书"));
    }

    /// Runs where a CJK font is installed (CI installs fonts-noto-cjk); fails loudly elsewhere, as a missing font
    /// is exactly what this module exists to catch.
    #[test]
    fn an_installed_cjk_font_is_cut_to_the_document_glyphs() {
        let fonts = PdfFonts::new(None);
        let font = fonts
            .cjk()
            .expect("a CJK font (install fonts-noto-cjk or set YANXIU_PDF_FONT)");
        let text = "证书编号 No.: 2026";
        let DocumentFont::Embedded(subset) = DocumentFont::for_text(Some(&font), text) else {
            panic!("the installed font should embed");
        };
        // One code per distinct character, .notdef is 0, and the program is a small fraction of the font.
        assert_eq!(subset.codes.len(), 12);
        assert!(subset.codes.values().all(|&code| code > 0));
        assert!(
            subset.program.len() < 100_000,
            "{} bytes",
            subset.program.len()
        );
        assert!(
            subset.to_unicode().contains("<8BC1>"),
            "证 maps back to U+8BC1"
        );
        let doc = DocumentFont::Embedded(subset);
        assert!(doc.width_em("No.") < 3.0 && doc.width_em("证书") > 1.5);
        assert_eq!(doc.objects(5).len(), 5);
    }
}
