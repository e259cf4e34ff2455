//! A small PDF writer for invoices: positioned text in DejaVu Sans (regular and bold), light grey
//! rules and raster images (PNG or JPEG) on A4 pages.
//!
//! The caller lays the invoice out itself, in PDF points (1/72 inch) measured from the page's
//! TOP-LEFT corner, with [`text_width`] and [`wrap`] to measure text; [`render`] turns the items
//! into a PDF file.
//!
//! Fonts are embedded as subsets (Type0 fonts with a CIDFontType2 descendant, Identity-H encoding,
//! a `W` widths array and a ToUnicode CMap, so text can be searched and copied); content streams,
//! font files and decoded images are FlateDecode-compressed. The output is deterministic: the same
//! document always gives the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// A4 in PDF points (width, height).
pub const A4: (f32, f32) = (595.28, 841.89);

/// How a [`Item::Text`] is placed horizontally relative to its `x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// The text starts at `x`.
    Left,
    /// The text ends at `x`.
    Right,
}

/// One thing drawn on a page.
#[derive(Clone, Debug)]
pub enum Item {
    /// Text on one line. `x`, `y` in points from the page's TOP-LEFT corner; `y` is the baseline.
    /// With `Align::Right`, `x` is where the text ends. `grey` draws it in a mid grey.
    Text { x: f32, y: f32, size: f32, text: String, align: Align, bold: bool, grey: bool },
    /// A straight line (points from the top-left), `width` in points, drawn in light grey.
    Rule { x1: f32, y1: f32, x2: f32, y2: f32, width: f32 },
    /// A raster image in the box whose top-left corner is (x, y), scaled to fit w×h keeping its
    /// aspect ratio. `bytes` is a PNG or JPEG file (told apart by its magic bytes); anything else,
    /// or a file that fails to decode, is skipped (never a panic).
    Image { x: f32, y: f32, w: f32, h: f32, bytes: Vec<u8> },
}

/// A document to render: its metadata and its pages, each a list of items drawn in order.
pub struct Document {
    /// The PDF's Title in its info dictionary (e.g. "Invoice 2027-0001").
    pub title: String,
    /// BCP-47 language of the document ("en", "es"), written as the catalog's /Lang.
    pub lang: String,
    pub pages: Vec<Vec<Item>>,
}

/// The grey of `grey` text (0 is black, 1 white).
const GREY_TEXT: f32 = 0.45;
/// The grey of rules.
const GREY_RULE: f32 = 0.75;
/// The zlib level for FlateDecode streams.
const DEFLATE_LEVEL: u8 = 6;
/// The most bytes a decoded image may take (RGB plus alpha); larger images are skipped.
const MAX_IMAGE_BYTES: usize = 64 << 20;

// ---------------------------------------------------------------------------------------------
// Fonts
// ---------------------------------------------------------------------------------------------

/// One parsed face of DejaVu Sans.
struct Font {
    face: ttf_parser::Face<'static>,
    data: &'static [u8],
    /// The PostScript name, without a subset tag.
    base_name: &'static str,
    units_per_em: f32,
}

impl Font {
    fn parse(data: &'static [u8], base_name: &'static str) -> Option<Font> {
        let face = ttf_parser::Face::parse(data, 0).ok()?;
        let units_per_em = f32::from(face.units_per_em());
        if units_per_em <= 0.0 {
            return None;
        }
        Some(Font { face, data, base_name, units_per_em })
    }

    /// The glyph id of `c`, or 0 (.notdef) when the font lacks it.
    fn glyph(&self, c: char) -> u16 {
        self.face.glyph_index(c).map_or(0, |g| g.0)
    }

    /// The horizontal advance of glyph `gid`, in font units.
    fn advance(&self, gid: u16) -> f32 {
        f32::from(self.face.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0))
    }

    /// Font units → thousandths of an em (the unit of PDF glyph widths and metrics).
    fn to_pdf_units(&self, v: f32) -> f32 {
        v * 1000.0 / self.units_per_em
    }
}

/// The embedded font, parsed once: regular or bold. `None` only if DejaVu failed to parse.
fn font(bold: bool) -> Option<&'static Font> {
    static REGULAR: OnceLock<Option<Font>> = OnceLock::new();
    static BOLD: OnceLock<Option<Font>> = OnceLock::new();
    if bold {
        BOLD.get_or_init(|| Font::parse(dejavu::sans::bold(), "DejaVuSans-Bold")).as_ref()
    } else {
        REGULAR.get_or_init(|| Font::parse(dejavu::sans::regular(), "DejaVuSans")).as_ref()
    }
}

/// The character actually drawn for `c`: control characters (tabs, newlines…) become spaces,
/// since an item's text is one line.
fn drawn_char(c: char) -> char {
    if c.is_control() {
        ' '
    } else {
        c
    }
}

/// The width in points of `text` at `size` in the embedded font (regular, or bold when `bold`), for
/// right-aligning and wrapping.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let size = finite(size);
    match font(bold) {
        Some(font) => {
            let units: f32 = text.chars().map(|c| font.advance(font.glyph(drawn_char(c)))).sum();
            units / font.units_per_em * size
        }
        // Never happens with the bundled font; a rough estimate keeps layouts sane regardless.
        None => text.chars().count() as f32 * 0.55 * size,
    }
}

/// Wraps `text` into lines no wider than `max` points (breaking at spaces; a word longer than
/// `max` is broken by characters). Never returns an empty Vec for non-empty text.
///
/// Runs of spaces between words collapse to one; a `'\n'` in `text` forces a line break (so an
/// empty text, or an empty line between two `'\n'`, gives one empty line). A single character
/// wider than `max` still gets a line of its own.
pub fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let before = lines.len();
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() {
                let candidate = format!("{line} {word}");
                if text_width(&candidate, size, bold) <= max {
                    line = candidate;
                    continue;
                }
                lines.push(std::mem::take(&mut line));
            }
            // The word starts a line.
            if text_width(word, size, bold) <= max {
                line = word.to_string();
            } else {
                // Break the word by characters; its last piece starts the current line.
                for c in word.chars() {
                    let mut candidate = line.clone();
                    candidate.push(c);
                    if line.is_empty() || text_width(&candidate, size, bold) <= max {
                        line = candidate;
                    } else {
                        lines.push(std::mem::replace(&mut line, c.to_string()));
                    }
                }
            }
        }
        if !line.is_empty() || lines.len() == before {
            lines.push(line);
        }
    }
    lines
}

/// Where a text item starts: at `x`, or at `x` minus its width when right-aligned.
fn text_start(x: f32, text: &str, size: f32, bold: bool, align: Align) -> f32 {
    match align {
        Align::Left => x,
        Align::Right => x - text_width(text, size, bold),
    }
}

/// One font as it is embedded in a document: its subset, and the CID of each character drawn.
struct FontPlan {
    font: &'static Font,
    /// The 2-byte CID that draws each character.
    cids: BTreeMap<char, u16>,
    /// The character each CID stands for (the ToUnicode CMap).
    unicode: BTreeMap<u16, char>,
    /// The width of each CID used, in thousandths of an em.
    widths: BTreeMap<u16, f32>,
    /// `None` when CID = glyph id in the embedded font program (CIDToGIDMap /Identity);
    /// otherwise the glyph id of every CID from 0 (a CIDToGIDMap stream).
    cid_to_gid: Option<Vec<u16>>,
    /// The embedded (subset) TrueType program.
    program: Vec<u8>,
    /// `ABCDEF+DejaVuSans`.
    subset_name: String,
}

impl FontPlan {
    fn new(font: &'static Font, chars: &BTreeSet<char>) -> FontPlan {
        let glyphs: Vec<u16> = chars.iter().map(|&c| font.glyph(c)).collect();
        let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&glyphs);
        // The subset renumbers glyphs (0, 1, 2… in the remapper's order); should subsetting ever
        // fail, the whole font goes in with its own glyph ids.
        let (program, remapper) = match subsetter::subset(font.data, 0, &remapper) {
            Ok(program) => (program, Some(remapper)),
            Err(_) => (font.data.to_vec(), None),
        };
        let embedded_gid = |gid: u16| match &remapper {
            Some(remapper) => remapper.get(gid).unwrap_or(0),
            None => gid,
        };
        let identity_len = match &remapper {
            Some(remapper) => remapper.num_gids(),
            None => font.face.number_of_glyphs(),
        };

        // A character's CID is its glyph's id in the embedded font, except for characters the
        // font lacks (drawn with .notdef) and characters sharing a glyph with an earlier one: they
        // get CIDs of their own past the glyphs, so that each maps back to itself in ToUnicode.
        let mut cids = BTreeMap::new();
        let mut unicode = BTreeMap::new();
        let mut widths = BTreeMap::new();
        let mut extra_gids: Vec<u16> = Vec::new();
        for &c in chars {
            let gid = font.glyph(c);
            let new_gid = embedded_gid(gid);
            let cid = if gid != 0 && !unicode.contains_key(&new_gid) {
                new_gid
            } else {
                match u16::try_from(usize::from(identity_len) + extra_gids.len()) {
                    Ok(cid) => {
                        extra_gids.push(new_gid);
                        cid
                    }
                    // Out of CIDs (tens of thousands of missing characters): plain .notdef.
                    Err(_) => 0,
                }
            };
            cids.insert(c, cid);
            unicode.entry(cid).or_insert(c);
            widths.insert(cid, font.to_pdf_units(font.advance(gid)));
        }
        let cid_to_gid = (!extra_gids.is_empty()).then(|| (0..identity_len).chain(extra_gids).collect());

        // A deterministic tag from the font and its glyph set.
        let mut hash = Fnv::new();
        hash.write(font.base_name.as_bytes());
        for (&c, &cid) in &cids {
            hash.write(&u32::from(c).to_be_bytes());
            hash.write(&cid.to_be_bytes());
        }
        let mut h = hash.value();
        let tag: String = (0..6)
            .map(|_| {
                let letter = char::from(b'A' + (h % 26) as u8);
                h /= 26;
                letter
            })
            .collect();

        FontPlan { font, cids, unicode, widths, cid_to_gid, program, subset_name: format!("{tag}+{}", font.base_name) }
    }

    /// `text` as 2-byte big-endian CIDs.
    fn encode(&self, text: &str) -> Vec<u8> {
        text.chars().flat_map(|c| self.cids.get(&drawn_char(c)).copied().unwrap_or(0).to_be_bytes()).collect()
    }

    /// Writes the Type0 font `id` and everything it refers to.
    fn write(&self, pdf: &mut Pdf, refs: &mut Refs, id: Ref) {
        let cid_font_id = refs.next();
        let descriptor_id = refs.next();
        let to_unicode_id = refs.next();
        let program_id = refs.next();
        let cid_to_gid_id = self.cid_to_gid.as_ref().map(|_| refs.next());
        let name = Name(self.subset_name.as_bytes());
        let system_info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

        pdf.type0_font(id)
            .base_font(name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_font_id)
            .to_unicode(to_unicode_id);

        let mut cid_font = pdf.cid_font(cid_font_id);
        cid_font.subtype(CidFontType::Type2).base_font(name).system_info(system_info).font_descriptor(descriptor_id);
        cid_font.default_width(self.font.to_pdf_units(self.font.advance(0)));
        {
            let mut w = cid_font.widths();
            // Runs of consecutive CIDs, each as `first [w1 w2 …]`.
            let mut run: Vec<f32> = Vec::new();
            let mut first = 0u16;
            let mut last: Option<u16> = None;
            for (&cid, &width) in &self.widths {
                if last.is_some_and(|l| u32::from(l) + 1 != u32::from(cid)) {
                    w.consecutive(first, std::mem::take(&mut run));
                }
                if run.is_empty() {
                    first = cid;
                }
                run.push(width);
                last = Some(cid);
            }
            if !run.is_empty() {
                w.consecutive(first, run);
            }
        }
        match cid_to_gid_id {
            Some(map_id) => cid_font.cid_to_gid_map_stream(map_id),
            None => cid_font.cid_to_gid_map_predefined(Name(b"Identity")),
        };
        cid_font.finish();

        let face = &self.font.face;
        let units = |v: i16| self.font.to_pdf_units(f32::from(v));
        let bbox = face.global_bounding_box();
        let ascent = units(face.ascender());
        let weight = face.weight().to_number();
        let mut flags = FontFlags::SYMBOLIC;
        if face.is_monospaced() {
            flags |= FontFlags::FIXED_PITCH;
        }
        if face.is_italic() {
            flags |= FontFlags::ITALIC;
        }
        pdf.font_descriptor(descriptor_id)
            .name(name)
            .flags(flags)
            .bbox(Rect::new(units(bbox.x_min), units(bbox.y_min), units(bbox.x_max), units(bbox.y_max)))
            .italic_angle(finite(face.italic_angle()))
            .ascent(ascent)
            .descent(units(face.descender()))
            .cap_height(face.capital_height().map_or(ascent, units))
            .stem_v(10.0 + 0.244 * (f32::from(weight) - 50.0))
            .font_file2(program_id);

        let mut cmap = UnicodeCmap::new(Name(b"Frontdesk-UTF16"), system_info);
        for (&cid, &c) in &self.unicode {
            cmap.pair(cid, c);
        }
        let cmap = deflate(cmap.finish().as_slice());
        pdf.cmap(to_unicode_id, &cmap).filter(Filter::FlateDecode);

        let program = deflate(&self.program);
        pdf.stream(program_id, &program)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), i32::try_from(self.program.len()).unwrap_or(i32::MAX));

        if let (Some(map_id), Some(map)) = (cid_to_gid_id, &self.cid_to_gid) {
            let bytes: Vec<u8> = map.iter().flat_map(|gid| gid.to_be_bytes()).collect();
            pdf.stream(map_id, &deflate(&bytes)).filter(Filter::FlateDecode);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

/// An image ready to embed.
struct Image {
    width: u32,
    height: u32,
    kind: ImageKind,
}

enum ImageKind {
    /// A JPEG file as is (DCTDecode), with its number of colour components.
    Jpeg { components: u8, inverted_cmyk: bool },
    /// Deflated 8-bit RGB samples and, when not opaque, deflated 8-bit alpha.
    Raster { rgb: Vec<u8>, alpha: Option<Vec<u8>> },
}

impl Image {
    fn decode(bytes: &[u8]) -> Option<Image> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            decode_png(bytes)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            let info = jpeg_info(bytes)?;
            Some(Image {
                width: info.width,
                height: info.height,
                kind: ImageKind::Jpeg { components: info.components, inverted_cmyk: info.adobe },
            })
        } else {
            None
        }
    }

    /// Writes the image XObject `id` (and its soft mask), `bytes` being the original file.
    fn write(&self, pdf: &mut Pdf, refs: &mut Refs, id: Ref, bytes: &[u8]) {
        let width = i32::try_from(self.width).unwrap_or(i32::MAX);
        let height = i32::try_from(self.height).unwrap_or(i32::MAX);
        match &self.kind {
            ImageKind::Jpeg { components, inverted_cmyk } => {
                let mut image = pdf.image_xobject(id, bytes);
                image.filter(Filter::DctDecode);
                image.width(width).height(height).bits_per_component(8);
                match components {
                    1 => image.color_space().device_gray(),
                    3 => image.color_space().device_rgb(),
                    _ => {
                        image.color_space().device_cmyk();
                        if *inverted_cmyk {
                            // Adobe's CMYK JPEGs store inverted samples.
                            image.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
                        }
                    }
                }
            }
            ImageKind::Raster { rgb, alpha } => {
                let mask_id = alpha.as_ref().map(|_| refs.next());
                let mut image = pdf.image_xobject(id, rgb);
                image.filter(Filter::FlateDecode);
                image.width(width).height(height).bits_per_component(8);
                image.color_space().device_rgb();
                if let Some(mask_id) = mask_id {
                    image.s_mask(mask_id);
                }
                image.finish();
                if let (Some(mask_id), Some(alpha)) = (mask_id, alpha) {
                    let mut mask = pdf.image_xobject(mask_id, alpha);
                    mask.filter(Filter::FlateDecode);
                    mask.width(width).height(height).bits_per_component(8);
                    mask.color_space().device_gray();
                }
            }
        }
    }
}

/// What a JPEG's SOF marker says.
struct JpegInfo {
    width: u32,
    height: u32,
    components: u8,
    /// An Adobe APP14 marker came first (its CMYK samples are inverted).
    adobe: bool,
}

/// Reads a baseline or progressive JPEG's size and components from its SOF marker.
fn jpeg_info(b: &[u8]) -> Option<JpegInfo> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    let mut adobe = false;
    loop {
        if *b.get(i)? != 0xFF {
            return None;
        }
        // Skip fill bytes.
        while *b.get(i)? == 0xFF {
            i += 1;
        }
        let marker = *b.get(i)?;
        i += 1;
        match marker {
            // Markers without a segment.
            0x01 | 0xD0..=0xD8 => continue,
            // End of image or start of scan before any frame header.
            0xD9 | 0xDA => return None,
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]));
        let segment = b.get(i + 2..i.checked_add(len)?)?;
        match marker {
            0xEE if segment.starts_with(b"Adobe") => adobe = true,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let [precision, h1, h2, w1, w2, components, ..] = *segment else {
                    return None;
                };
                let height = u32::from(u16::from_be_bytes([h1, h2]));
                let width = u32::from(u16::from_be_bytes([w1, w2]));
                if precision != 8 || width == 0 || height == 0 || !matches!(components, 1 | 3 | 4) {
                    return None;
                }
                return Some(JpegInfo { width, height, components, adobe });
            }
            _ => {}
        }
        i += len;
    }
}

/// Decodes a PNG to deflated 8-bit RGB and alpha.
fn decode_png(bytes: &[u8]) -> Option<Image> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().ok()?;
    let size = reader.output_buffer_size()?;
    if size > MAX_IMAGE_BYTES {
        return None;
    }
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).ok()?;
    if info.bit_depth != png::BitDepth::Eight || info.width == 0 || info.height == 0 {
        return None;
    }
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return None,
    };
    let width = usize::try_from(info.width).ok()?;
    let height = usize::try_from(info.height).ok()?;
    let row_len = width.checked_mul(channels)?;
    if info.line_size < row_len {
        return None;
    }
    let pixels = width.checked_mul(height)?;
    let mut rgb = Vec::with_capacity(pixels.checked_mul(3)?);
    let mut alpha = Vec::with_capacity(if channels % 2 == 0 { pixels } else { 0 });
    for row in buf.chunks_exact(info.line_size).take(height) {
        for px in row[..row_len].chunks_exact(channels) {
            match *px {
                [g] => rgb.extend([g, g, g]),
                [g, a] => {
                    rgb.extend([g, g, g]);
                    alpha.push(a);
                }
                [r, g, b] => rgb.extend([r, g, b]),
                [r, g, b, a] => {
                    rgb.extend([r, g, b]);
                    alpha.push(a);
                }
                _ => return None,
            }
        }
    }
    if rgb.len() != pixels * 3 {
        return None;
    }
    let alpha = (alpha.iter().any(|&a| a != 255)).then(|| deflate(&alpha));
    Some(Image { width: info.width, height: info.height, kind: ImageKind::Raster { rgb: deflate(&rgb), alpha } })
}

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

/// Hands out object ids in order.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// The PDF file's bytes. Deterministic: the same document gives the same bytes (no timestamps or
/// random ids in the output).
///
/// Every page is A4. A document without pages gets one blank page (a PDF needs one). Items are
/// drawn in order; non-finite numbers are taken as 0.
pub fn render(doc: &Document) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let mut refs = Refs(0);
    let catalog_id = refs.next();
    let page_tree_id = refs.next();
    let info_id = refs.next();

    // The characters drawn in each font, to subset them.
    let mut chars: [BTreeSet<char>; 2] = [BTreeSet::new(), BTreeSet::new()];
    for item in doc.pages.iter().flatten() {
        if let Item::Text { text, bold, .. } = item {
            chars[usize::from(*bold)].extend(text.chars().map(drawn_char));
        }
    }
    let plans: Vec<Option<(FontPlan, Ref)>> = [false, true]
        .into_iter()
        .map(|bold| {
            let used = &chars[usize::from(bold)];
            let font = font(bold).filter(|_| !used.is_empty())?;
            Some((FontPlan::new(font, used), refs.next()))
        })
        .collect();
    const FONT_NAMES: [&[u8]; 2] = [b"F1", b"F2"];

    // Images, each embedded once however often it is drawn.
    let mut images: HashMap<&[u8], Option<(usize, Ref, Image)>> = HashMap::new();
    let mut image_order: Vec<&[u8]> = Vec::new();

    let blank = [Vec::new()];
    let pages: &[Vec<Item>] = if doc.pages.is_empty() { &blank } else { &doc.pages };
    let (page_w, page_h) = A4;
    let mut page_ids = Vec::with_capacity(pages.len());
    for items in pages {
        let page_id = refs.next();
        let content_id = refs.next();
        page_ids.push(page_id);
        let mut content = Content::new();
        let mut fonts_used = [false; 2];
        let mut images_used: BTreeMap<usize, Ref> = BTreeMap::new();
        let mut fill: Option<f32> = None;

        for item in items {
            match item {
                Item::Text { x, y, size, text, align, bold, grey } => {
                    let Some((plan, _)) = &plans[usize::from(*bold)] else { continue };
                    if text.is_empty() {
                        continue;
                    }
                    let size = finite(*size);
                    let x = finite(text_start(finite(*x), text, size, *bold, *align));
                    let gray = if *grey { GREY_TEXT } else { 0.0 };
                    if fill != Some(gray) {
                        content.set_fill_gray(gray);
                        fill = Some(gray);
                    }
                    fonts_used[usize::from(*bold)] = true;
                    content.begin_text();
                    content.set_font(Name(FONT_NAMES[usize::from(*bold)]), size);
                    content.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, page_h - finite(*y)]);
                    content.show(Str(&plan.encode(text)));
                    content.end_text();
                }
                Item::Rule { x1, y1, x2, y2, width } => {
                    content.save_state();
                    content.set_stroke_gray(GREY_RULE);
                    content.set_line_width(finite(*width).max(0.0));
                    content.move_to(finite(*x1), page_h - finite(*y1));
                    content.line_to(finite(*x2), page_h - finite(*y2));
                    content.stroke();
                    content.restore_state();
                }
                Item::Image { x, y, w, h, bytes } => {
                    let entry = images.entry(bytes.as_slice()).or_insert_with(|| {
                        let image = Image::decode(bytes)?;
                        image_order.push(bytes.as_slice());
                        Some((image_order.len(), refs.next(), image))
                    });
                    let Some((index, id, image)) = entry else { continue };
                    let (w, h) = (finite(*w), finite(*h));
                    if w <= 0.0 || h <= 0.0 {
                        continue;
                    }
                    let (iw, ih) = (image.width as f32, image.height as f32);
                    let scale = (w / iw).min(h / ih);
                    let (dw, dh) = (iw * scale, ih * scale);
                    images_used.insert(*index, *id);
                    content.save_state();
                    content.transform([dw, 0.0, 0.0, dh, finite(*x), page_h - finite(*y) - dh]);
                    content.x_object(Name(format!("Im{index}").as_bytes()));
                    content.restore_state();
                }
            }
        }

        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, page_w, page_h)).parent(page_tree_id).contents(content_id);
        let mut resources = page.resources();
        if fonts_used.iter().any(|&u| u) {
            let mut fonts = resources.fonts();
            for (i, plan) in plans.iter().enumerate() {
                if let (true, Some((_, font_id))) = (fonts_used[i], plan) {
                    fonts.pair(Name(FONT_NAMES[i]), *font_id);
                }
            }
        }
        if !images_used.is_empty() {
            let mut x_objects = resources.x_objects();
            for (index, id) in &images_used {
                x_objects.pair(Name(format!("Im{index}").as_bytes()), *id);
            }
        }
        resources.finish();
        page.finish();
        pdf.stream(content_id, &deflate(&content.finish())).filter(Filter::FlateDecode);
    }

    pdf.pages(page_tree_id).kids(page_ids.iter().copied()).count(i32::try_from(page_ids.len()).unwrap_or(i32::MAX));
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(page_tree_id);
    if !doc.lang.is_empty() {
        catalog.lang(TextStr(&doc.lang));
    }
    catalog.viewer_preferences().display_doc_title(true);
    catalog.finish();
    pdf.document_info(info_id).title(TextStr(&doc.title));

    for (plan, id) in plans.iter().flatten() {
        plan.write(&mut pdf, &mut refs, *id);
    }
    for bytes in &image_order {
        if let Some(Some((_, id, image))) = images.get(bytes) {
            image.write(&mut pdf, &mut refs, *id, bytes);
        }
    }

    // A file identifier derived from the content, so that it stays deterministic.
    let mut hash = Fnv::new();
    hash.write(pdf.as_bytes());
    let first = hash.value();
    hash.write(b"frontdesk");
    let second = hash.value();
    let id: Vec<u8> = first.to_be_bytes().into_iter().chain(second.to_be_bytes()).collect();
    pdf.set_file_id((id.clone(), id));
    pdf.finish()
}

/// zlib-wrapped deflate, as FlateDecode expects.
fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, DEFLATE_LEVEL)
}

/// `v`, or 0 when it is NaN or infinite (which a PDF cannot hold).
fn finite(v: f32) -> f32 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// 64-bit FNV-1a, for subset tags and the file identifier.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn value(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn text(x: f32, y: f32, size: f32, s: &str, align: Align, bold: bool) -> Item {
        Item::Text { x, y, size, text: s.to_string(), align, bold, grey: false }
    }

    /// A w×h RGBA PNG with a gradient and a transparent corner.
    fn tiny_png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, w, h);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().unwrap();
            let mut data = Vec::new();
            for y in 0..h {
                for x in 0..w {
                    let a = if x == 0 && y == 0 { 0 } else { 255 };
                    data.extend([(x * 255 / w) as u8, (y * 255 / h) as u8, 128, a]);
                }
            }
            writer.write_image_data(&data).unwrap();
        }
        out
    }

    /// A minimal JPEG header (SOI, APP0, SOF0, EOI): enough for [`jpeg_info`].
    fn fake_jpeg(w: u16, h: u16, components: u8) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        b.extend(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        b.extend([0xFF, 0xC0, 0x00, 8 + 3 * components, 8]);
        b.extend(h.to_be_bytes());
        b.extend(w.to_be_bytes());
        b.push(components);
        for i in 0..components {
            b.extend([i + 1, 0x11, 0]);
        }
        b.extend([0xFF, 0xD9]);
        b
    }

    const RIGHT_EDGE: f32 = 540.0;

    fn invoice() -> Document {
        let logo = tiny_png(8, 4);
        let page1 = vec![
            Item::Image { x: 56.0, y: 40.0, w: 80.0, h: 40.0, bytes: logo.clone() },
            text(56.0, 110.0, 18.0, "Factura 2027-0001", Align::Left, true),
            text(56.0, 135.0, 10.0, "Peluquería Ñandú, S.L.", Align::Left, false),
            Item::Text {
                x: 56.0,
                y: 150.0,
                size: 9.0,
                text: "Façade Müller, Córdoba".to_string(),
                align: Align::Left,
                bold: false,
                grey: true,
            },
            Item::Rule { x1: 56.0, y1: 170.0, x2: RIGHT_EDGE, y2: 170.0, width: 0.5 },
            text(56.0, 190.0, 10.0, "Corte y peinado — señora", Align::Left, false),
            text(RIGHT_EDGE, 190.0, 10.0, "45,00 €", Align::Right, false),
            text(56.0, 205.0, 10.0, "Tinte", Align::Left, false),
            text(RIGHT_EDGE, 205.0, 10.0, "1.189,56 €", Align::Right, false),
            Item::Rule { x1: 56.0, y1: 215.0, x2: RIGHT_EDGE, y2: 215.0, width: 1.0 },
            text(RIGHT_EDGE, 235.0, 12.0, "Total 1.234,56 €", Align::Right, true),
        ];
        let page2 = vec![
            Item::Image { x: 56.0, y: 40.0, w: 80.0, h: 40.0, bytes: logo },
            text(56.0, 110.0, 12.0, "Condiciones de pago", Align::Left, true),
            text(56.0, 130.0, 10.0, "Página 2 de 2", Align::Left, false),
        ];
        Document { title: "Factura 2027-0001".into(), lang: "es".into(), pages: vec![page1, page2] }
    }

    /// Runs `pdftotext -layout [args] file -`, or `None` when it is not installed (a failure under
    /// CI).
    fn pdftotext(pdf: &[u8], name: &str, args: &[&str]) -> Option<String> {
        let path = std::env::temp_dir().join(format!("frontdesk-pdf-{}-{name}.pdf", std::process::id()));
        std::fs::write(&path, pdf).unwrap();
        let output = Command::new("pdftotext").arg("-layout").args(args).arg(&path).arg("-").output();
        let _ = std::fs::remove_file(&path);
        match output {
            Ok(output) => {
                assert!(output.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&output.stderr));
                Some(String::from_utf8(output.stdout).unwrap())
            }
            Err(e) => {
                assert!(std::env::var("CI").as_deref() != Ok("true"), "pdftotext is needed under CI: {e}");
                eprintln!("note: pdftotext not installed ({e}); skipping the text extraction check");
                None
            }
        }
    }

    #[test]
    fn text_can_be_extracted_page_by_page() {
        let pdf = render(&invoice());
        let Some(all) = pdftotext(&pdf, "all", &[]) else { return };
        for s in [
            "Factura 2027-0001",
            "Peluquería Ñandú, S.L.",
            "Façade Müller, Córdoba",
            "Corte y peinado — señora",
            "45,00 €",
            "1.189,56 €",
            "Total 1.234,56 €",
            "Condiciones de pago",
            "Página 2 de 2",
        ] {
            assert!(all.contains(s), "{s:?} missing from:\n{all}");
        }
        let page1 = pdftotext(&pdf, "p1", &["-f", "1", "-l", "1"]).unwrap();
        let page2 = pdftotext(&pdf, "p2", &["-f", "2", "-l", "2"]).unwrap();
        assert!(page1.contains("Total 1.234,56 €") && !page1.contains("Condiciones de pago"), "{page1}");
        assert!(page2.contains("Condiciones de pago") && page2.contains("Página 2 de 2"), "{page2}");
        assert!(!page2.contains("Total"), "{page2}");
    }

    #[test]
    fn characters_the_font_lacks_still_extract() {
        // DejaVu Sans has no CJK; both characters are drawn with .notdef yet map back to themselves.
        let doc = Document {
            title: "x".into(),
            lang: "en".into(),
            pages: vec![vec![text(50.0, 100.0, 12.0, "Hi 日本 ok", Align::Left, false)]],
        };
        let pdf = render(&doc);
        let s = String::from_utf8_lossy(&pdf);
        let map_is_a_stream =
            s.match_indices("/CIDToGIDMap ").any(|(i, m)| s[i + m.len()..].starts_with(|c: char| c.is_ascii_digit()));
        assert!(map_is_a_stream, "a CIDToGIDMap stream maps the extra CIDs to .notdef");
        let Some(out) = pdftotext(&pdf, "notdef", &[]) else { return };
        assert!(out.contains("Hi 日本 ok"), "{out}");
    }

    #[test]
    fn render_is_deterministic_small_and_a_pdf() {
        let doc = invoice();
        let a = render(&doc);
        let b = render(&doc);
        assert_eq!(a, b);
        assert!(a.starts_with(b"%PDF-"));
        assert!(a.len() < 60 * 1024, "{} bytes", a.len());
        // Both fonts are embedded as Type0/CIDFontType2 subsets with a ToUnicode CMap.
        let s = String::from_utf8_lossy(&a);
        assert_eq!(s.matches("/Subtype /Type0").count(), 2);
        assert_eq!(s.matches("/Subtype /CIDFontType2").count(), 2);
        assert_eq!(s.matches("/ToUnicode").count(), 2);
        assert!(s.contains("/Encoding /Identity-H"));
        assert!(s.contains("/CIDToGIDMap /Identity"));
        assert!(s.contains("/Lang (es)"));
        assert!(s.contains("/Title (Factura 2027-0001)"));
        let tags: Vec<&str> = s.match_indices("+DejaVuSans").map(|(i, _)| &s[i - 7..i]).collect();
        assert!(tags.iter().all(|t| t.starts_with('/') && t[1..].bytes().all(|b| b.is_ascii_uppercase())), "{tags:?}");
        // The logo drawn on both pages is embedded once, with its alpha as an SMask.
        assert_eq!(s.matches("/Subtype /Image").count(), 2);
        assert_eq!(s.matches("/SMask").count(), 1);
        eprintln!("two-page invoice: {} bytes", a.len());
    }

    #[test]
    fn a_one_page_invoice_is_small() {
        let mut doc = invoice();
        doc.pages.truncate(1);
        let pdf = render(&doc);
        eprintln!("one-page invoice: {} bytes", pdf.len());
        assert!(pdf.len() < 60 * 1024);
        if let Ok(path) = std::env::var("FRONTDESK_PDF_OUT") {
            std::fs::write(path, &pdf).unwrap();
        }
    }

    #[test]
    fn text_width_grows_with_text_and_size() {
        let short = text_width("Total", 10.0, false);
        assert!(short > 0.0);
        assert!(text_width("Total 1.234,56 €", 10.0, false) > short);
        assert!((text_width("Total", 20.0, false) - 2.0 * short).abs() < 1e-3);
        assert!(text_width("Total", 10.0, true) > short);
        assert_eq!(text_width("", 10.0, false), 0.0);
        // A character the font lacks takes .notdef's width, not nothing.
        assert!(text_width("日", 10.0, false) > 0.0);
    }

    #[test]
    fn right_aligned_text_ends_at_x() {
        for (s, size, bold) in [("1.234,56 €", 10.0, false), ("Total 1.234,56 €", 12.0, true)] {
            let start = text_start(RIGHT_EDGE, s, size, bold, Align::Right);
            assert!((start + text_width(s, size, bold) - RIGHT_EDGE).abs() < 1e-3);
            assert!(start < RIGHT_EDGE);
            assert_eq!(text_start(RIGHT_EDGE, s, size, bold, Align::Left), RIGHT_EDGE);
        }
    }

    #[test]
    fn wrap_respects_the_width() {
        let s = "Corte y peinado — señora, con lavado, tratamiento de keratina y secado a mano";
        let max = 120.0;
        let lines = wrap(s, 10.0, false, max);
        assert!(lines.len() > 1, "{lines:?}");
        for line in &lines {
            assert!(text_width(line, 10.0, false) <= max, "{line:?}");
            assert!(!line.is_empty());
        }
        assert_eq!(lines.join(" "), s);
        // Fits on one line.
        assert_eq!(wrap("Tinte", 10.0, false, max), vec!["Tinte".to_string()]);
        // A word longer than the width is broken by characters.
        let long = "Supercalifragilisticoespialidoso";
        let pieces = wrap(long, 10.0, true, 50.0);
        assert!(pieces.len() > 1);
        assert!(pieces.iter().all(|p| text_width(p, 10.0, true) <= 50.0));
        assert_eq!(pieces.concat(), long);
        // Degenerate inputs never loop forever nor give nothing.
        assert_eq!(wrap("abc", 10.0, false, 0.0), vec!["a", "b", "c"]);
        assert_eq!(wrap("   ", 10.0, false, 100.0), vec![String::new()]);
        assert_eq!(wrap("a\nb", 10.0, false, 100.0), vec!["a", "b"]);
        assert!(!wrap("x", 10.0, false, f32::NAN).is_empty());
    }

    #[test]
    fn broken_images_are_skipped() {
        let mut noise = Vec::new();
        let mut state: u32 = 12345;
        for _ in 0..2000 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            noise.push((state >> 16) as u8);
        }
        let mut truncated_png = tiny_png(16, 16);
        truncated_png.truncate(40);
        let mut png_header_then_noise = b"\x89PNG\r\n\x1a\n".to_vec();
        png_header_then_noise.extend(&noise);
        let mut jpeg_then_noise = vec![0xFF, 0xD8, 0xFF];
        jpeg_then_noise.extend(&noise);
        let images = [noise, truncated_png, png_header_then_noise, jpeg_then_noise, Vec::new(), vec![0xFF, 0xD8, 0xFF]];
        let page: Vec<Item> = images
            .iter()
            .map(|bytes| Item::Image { x: 10.0, y: 10.0, w: 50.0, h: 50.0, bytes: bytes.clone() })
            .chain([text(50.0, 100.0, 12.0, "Still here", Align::Left, false)])
            .collect();
        let pdf = render(&Document { title: "t".into(), lang: "en".into(), pages: vec![page] });
        assert!(!String::from_utf8_lossy(&pdf).contains("/Subtype /Image"));
        if let Some(out) = pdftotext(&pdf, "broken", &[]) {
            assert!(out.contains("Still here"), "{out}");
        }
    }

    #[test]
    fn jpegs_are_embedded_as_is() {
        let jpeg = fake_jpeg(32, 16, 3);
        let info = jpeg_info(&jpeg).unwrap();
        assert_eq!((info.width, info.height, info.components), (32, 16, 3));
        let doc = Document {
            title: "t".into(),
            lang: "en".into(),
            pages: vec![vec![Item::Image { x: 10.0, y: 10.0, w: 100.0, h: 100.0, bytes: jpeg.clone() }]],
        };
        let pdf = render(&doc);
        assert!(pdf.windows(jpeg.len()).any(|w| w == jpeg.as_slice()));
        let s = String::from_utf8_lossy(&pdf);
        assert!(s.contains("/Filter /DCTDecode") && s.contains("/Width 32") && s.contains("/DeviceRGB"));
        // Scaled to fit 100×100 keeping 2:1: 100 wide, 50 high, top edge at y = 10.
        let content_has = |needle: &str| {
            // The content stream is compressed; inflate every Flate stream and look inside.
            s.contains(needle) || inflated_streams(&pdf).iter().any(|c| String::from_utf8_lossy(c).contains(needle))
        };
        assert!(content_has(&format!("100 0 0 50 10 {}", A4.1 - 10.0 - 50.0)));
        assert!(jpeg_info(&fake_jpeg(0, 16, 3)).is_none());
        assert!(jpeg_info(&fake_jpeg(16, 16, 2)).is_none());
    }

    #[test]
    fn empty_and_odd_documents_render() {
        for doc in [
            Document { title: String::new(), lang: String::new(), pages: vec![] },
            Document {
                title: "Ñ".into(),
                lang: "es".into(),
                pages: vec![vec![
                    text(f32::NAN, f32::INFINITY, f32::NAN, "nan\tx\n", Align::Right, true),
                    text(10.0, 10.0, 10.0, "", Align::Left, false),
                    Item::Rule { x1: f32::NAN, y1: 0.0, x2: 1.0, y2: 1.0, width: -3.0 },
                    Item::Image { x: 0.0, y: 0.0, w: 0.0, h: -1.0, bytes: tiny_png(2, 2) },
                ]],
            },
        ] {
            let pdf = render(&doc);
            assert!(pdf.starts_with(b"%PDF-"));
            assert!(!String::from_utf8_lossy(&pdf).contains("NaN"));
            if let Some(out) = pdftotext(&pdf, "odd", &[]) {
                let _ = out;
            }
        }
    }

    /// The inflated contents of every FlateDecode stream in `pdf`, for peeking into content.
    fn inflated_streams(pdf: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut rest = pdf;
        while let Some(start) = find(rest, b"stream\n") {
            let body = &rest[start + 7..];
            let Some(end) = find(body, b"\nendstream") else { break };
            if let Ok(data) = miniz_oxide::inflate::decompress_to_vec_zlib(&body[..end]) {
                out.push(data);
            }
            rest = &body[end..];
        }
        out
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }
}
