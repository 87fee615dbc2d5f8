//! TrueType subsetting that keeps glyph ids: glyphs not used in the document are emptied and
//! tables a PDF viewer does not need are dropped. Glyph ids stay the same, so the content
//! streams, `/W` widths and `/ToUnicode` printpdf wrote (Identity-H, CIDToGIDMap Identity)
//! stay valid. (printpdf 0.12 without its `text_layout` feature embeds the whole font.)

use std::collections::BTreeSet;

/// Tables kept in the subset (what PDF needs for a CIDFontType2 plus identification).
const KEEP: [&[u8; 4]; 12] = [
    b"OS/2", b"cmap", b"cvt ", b"fpgm", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp",
    b"name", b"prep",
];

fn u16_at(b: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(o)?, *b.get(o + 1)?]))
}

fn u32_at(b: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *b.get(o)?,
        *b.get(o + 1)?,
        *b.get(o + 2)?,
        *b.get(o + 3)?,
    ]))
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |acc, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        acc.wrapping_add(u32::from_be_bytes(w))
    })
}

/// Components of a composite glyph.
fn components(glyph: &[u8]) -> Vec<u16> {
    let mut out = Vec::new();
    if glyph.len() < 10 || i16::from_be_bytes([glyph[0], glyph[1]]) >= 0 {
        return out;
    }
    let mut o = 10;
    while let (Some(flags), Some(gid)) = (u16_at(glyph, o), u16_at(glyph, o + 2)) {
        out.push(gid);
        o += 4;
        o += if flags & 0x0001 != 0 { 4 } else { 2 };
        if flags & 0x0008 != 0 {
            o += 2;
        } else if flags & 0x0040 != 0 {
            o += 4;
        } else if flags & 0x0080 != 0 {
            o += 8;
        }
        if flags & 0x0020 == 0 {
            break;
        }
    }
    out
}

/// The (character, glyph) pairs of the font's Windows Unicode BMP cmap (3,1 format 4) whose glyph
/// is in `used`.
fn cmap_pairs(cmap: &[u8], used: &BTreeSet<u16>) -> Option<Vec<(u16, u16)>> {
    let n = usize::from(u16_at(cmap, 2)?);
    let sub = (0..n).find_map(|i| {
        let r = 4 + 8 * i;
        let (pid, eid) = (u16_at(cmap, r)?, u16_at(cmap, r + 2)?);
        let off = usize::try_from(u32_at(cmap, r + 4)?).ok()?;
        (pid == 3 && eid == 1 && u16_at(cmap, off)? == 4).then_some(off)
    })?;
    let t = cmap.get(sub..)?;
    let seg = usize::from(u16_at(t, 6)?) / 2;
    let (ends, starts, deltas, ranges) = (14, 16 + 2 * seg, 16 + 4 * seg, 16 + 6 * seg);
    let mut out = Vec::new();
    for i in 0..seg {
        let (end, start) = (u16_at(t, ends + 2 * i)?, u16_at(t, starts + 2 * i)?);
        let delta = u16_at(t, deltas + 2 * i)?;
        let ro = usize::from(u16_at(t, ranges + 2 * i)?);
        if start == 0xFFFF {
            continue;
        }
        for c in start..=end {
            let g = if ro == 0 {
                c.wrapping_add(delta)
            } else {
                let at = ranges + 2 * i + ro + 2 * usize::from(c - start);
                match u16_at(t, at)? {
                    0 => 0,
                    g => g.wrapping_add(delta),
                }
            };
            if g != 0 && used.contains(&g) {
                out.push((c, g));
            }
        }
    }
    Some(out)
}

/// A cmap (3,1 format 4) mapping only `pairs` (sorted by character): one segment per character.
/// The full cmap of a Japanese font is about 240 KB; the report uses a few hundred characters.
fn small_cmap(pairs: &[(u16, u16)]) -> Option<Vec<u8>> {
    let seg = pairs.len() + 1;
    let seg16 = u16::try_from(seg).ok()?;
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= seg16 {
        pow *= 2;
        log += 1;
    }
    let mut t = Vec::new();
    let len = u16::try_from(16 + 8 * seg).ok()?;
    for v in [4u16, len, 0, seg16 * 2, pow * 2, log, seg16 * 2 - pow * 2] {
        t.extend_from_slice(&v.to_be_bytes());
    }
    for (c, _) in pairs {
        t.extend_from_slice(&c.to_be_bytes());
    }
    t.extend_from_slice(&0xFFFFu16.to_be_bytes());
    t.extend_from_slice(&0u16.to_be_bytes());
    for (c, _) in pairs {
        t.extend_from_slice(&c.to_be_bytes());
    }
    t.extend_from_slice(&0xFFFFu16.to_be_bytes());
    for (c, g) in pairs {
        t.extend_from_slice(&g.wrapping_sub(*c).to_be_bytes());
    }
    t.extend_from_slice(&1u16.to_be_bytes());
    for _ in 0..seg {
        t.extend_from_slice(&0u16.to_be_bytes());
    }
    let mut out = Vec::new();
    for v in [0u16, 1, 3, 1] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&12u32.to_be_bytes());
    out.extend_from_slice(&t);
    Some(out)
}

/// Returns a copy of the TrueType font `font` in which only the glyphs in `keep` (plus
/// .notdef and composite components) have outlines. `None` when the font cannot be read.
pub fn subset_keep_ids(font: &[u8], keep: &BTreeSet<u16>) -> Option<Vec<u8>> {
    let num_tables = usize::from(u16_at(font, 4)?);
    let mut tables = Vec::new();
    for i in 0..num_tables {
        let r = 12 + 16 * i;
        let tag: [u8; 4] = font.get(r..r + 4)?.try_into().ok()?;
        let off = usize::try_from(u32_at(font, r + 8)?).ok()?;
        let len = usize::try_from(u32_at(font, r + 12)?).ok()?;
        tables.push((tag, font.get(off..off.checked_add(len)?)?));
    }
    let table = |t: &[u8; 4]| tables.iter().find(|(tag, _)| tag == t).map(|(_, d)| *d);
    let head = table(b"head")?;
    let long_loca = u16_at(head, 50)? == 1;
    let num_glyphs = usize::from(u16_at(table(b"maxp")?, 4)?);
    let loca = table(b"loca")?;
    let glyf = table(b"glyf")?;
    let offset = |g: usize| -> Option<usize> {
        if long_loca {
            usize::try_from(u32_at(loca, g * 4)?).ok()
        } else {
            Some(usize::from(u16_at(loca, g * 2)?) * 2)
        }
    };
    let glyph = |g: usize| -> Option<&[u8]> { glyf.get(offset(g)?..offset(g + 1)?) };

    // closure over composite components
    let mut used: BTreeSet<u16> = keep
        .iter()
        .copied()
        .filter(|g| usize::from(*g) < num_glyphs)
        .collect();
    used.insert(0);
    let mut work: Vec<u16> = used.iter().copied().collect();
    while let Some(g) = work.pop() {
        for c in components(glyph(usize::from(g))?) {
            if usize::from(c) < num_glyphs && used.insert(c) {
                work.push(c);
            }
        }
    }

    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity((num_glyphs + 1) * 4);
    for g in 0..num_glyphs {
        new_loca.extend_from_slice(&u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
        if used.contains(&u16::try_from(g).ok()?) {
            new_glyf.extend_from_slice(glyph(g)?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
    let mut new_head = head.to_vec();
    new_head
        .get_mut(50..52)?
        .copy_from_slice(&1u16.to_be_bytes());
    new_head.get_mut(8..12)?.copy_from_slice(&[0, 0, 0, 0]);

    // The cmap keeps only the characters of the glyphs kept (the PDF addresses glyphs by id; the
    // cmap is for viewers and text tools that look one up).
    let new_cmap = table(b"cmap")
        .and_then(|c| cmap_pairs(c, &used))
        .and_then(|mut p| {
            p.sort_unstable();
            small_cmap(&p)
        });
    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = Vec::new();
    for (tag, data) in &tables {
        if !KEEP.contains(&tag) {
            continue;
        }
        let data = match tag {
            b"glyf" => new_glyf.clone(),
            b"loca" => new_loca.clone(),
            b"head" => new_head.clone(),
            b"cmap" => new_cmap.clone().unwrap_or_else(|| data.to_vec()),
            _ => data.to_vec(),
        };
        out_tables.push((*tag, data));
    }
    out_tables.sort_by_key(|a| a.0);

    let n = out_tables.len();
    let n16 = u16::try_from(n).ok()?;
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= n16 {
        pow *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(font.get(0..4)?);
    out.extend_from_slice(&n16.to_be_bytes());
    out.extend_from_slice(&(pow * 16).to_be_bytes());
    out.extend_from_slice(&log.to_be_bytes());
    out.extend_from_slice(&(n16 * 16 - pow * 16).to_be_bytes());
    let mut off = 12 + 16 * n;
    let mut head_pos = None;
    for (tag, data) in &out_tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&u32::try_from(off).ok()?.to_be_bytes());
        out.extend_from_slice(&u32::try_from(data.len()).ok()?.to_be_bytes());
        if tag == b"head" {
            head_pos = Some(off);
        }
        off += data.len().div_ceil(4) * 4;
    }
    for (_, data) in &out_tables {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    let adj = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    let hp = head_pos?;
    out.get_mut(hp + 8..hp + 12)?
        .copy_from_slice(&adj.to_be_bytes());
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use printpdf::ParsedFont;

    #[test]
    fn subset_keeps_used_glyphs_and_ids_and_is_small() {
        let full = super::super::FONT_BYTES;
        let parsed = ParsedFont::from_bytes(full, 0, &mut Vec::new()).unwrap();
        let keep: BTreeSet<u16> = "点検報告書 適合 未確認 ABC abc 123"
            .chars()
            .filter_map(|c| parsed.lookup_glyph_index(c as u32))
            .collect();
        let sub = subset_keep_ids(full, &keep).unwrap();
        // The glyph ids stay, so hmtx and loca keep their size (about 100 KB together, mostly
        // zeros that compress); the cmap shrinks to the characters used.
        assert!(sub.len() < 150_000, "{} vs {}", sub.len(), full.len());
        // the subset parses, maps the same characters to the same glyph ids, same widths
        let p2 = ParsedFont::from_bytes(&sub, 0, &mut Vec::new()).unwrap();
        for c in "点検報告書適合未確認Aa1".chars() {
            let g = parsed.lookup_glyph_index(c as u32).unwrap();
            assert_eq!(p2.lookup_glyph_index(c as u32), Some(g));
            assert_eq!(p2.get_glyph_width(g), parsed.get_glyph_width(g));
        }
        // whole-font checksum adjusted
        assert_eq!(checksum(&sub), 0xB1B0_AFBA);
        // garbage is refused, not a panic
        assert!(subset_keep_ids(b"not a font", &keep).is_none());
    }
}
