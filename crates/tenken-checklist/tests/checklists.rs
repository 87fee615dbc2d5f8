//! The built-in checklists load and validate; the strict validator rejects each kind of defect
//! with the right file:line; year-over-year mapping; XLSX import.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use tenken_checklist::{
    self as checklist, Checklist, ChecklistError, ChecklistKind, ProvenanceTag, Scope, mapping,
};

fn builtin(id: &str) -> Checklist {
    checklist::builtin()
        .unwrap()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap()
}

fn ids_on(c: &Checklist, sheet: &str) -> Vec<String> {
    c.sheet_items(sheet).map(|i| i.id.clone()).collect()
}

#[test]
fn every_file_in_checklists_dir_loads_and_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../checklists");
    let from_dir = checklist::load_dir(&dir).unwrap();
    let mut ids: Vec<_> = from_dir.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["mhlw-r5", "mhlw-r6", "mhlw-r7", "tenken-recommended"]);
    // The embedded set is the same data as the folder.
    let embedded = checklist::builtin().unwrap();
    for c in &from_dir {
        assert_eq!(embedded.iter().find(|e| e.id == c.id), Some(c));
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            checklist::load_file(&p).unwrap();
        }
    }
}

/// Item counts per sheet, derived from `reference/mhlw-checklist.md` §3:
/// R5/R6 clinic = gate + 1(1) + 2(1)–2(9) + 3(1)–3(3) = 14; vendor = 1(1) + 2(1)–2(9) = 10.
/// R7 clinic = gate + 1-①② + 2-①–⑬ + 3-①–③ = 19 (R6's 14 + 5 new items); vendor = 1-① +
/// 2-①–⑬ = 14 (R6's 10 + 4 new); 薬局確認用 mirrors the clinic sheet = 19.
#[test]
fn item_counts_match_the_reference() {
    let r5 = builtin("mhlw-r5");
    let r6 = builtin("mhlw-r6");
    let r7 = builtin("mhlw-r7");
    for c in [&r5, &r6] {
        assert_eq!(
            c.sheets.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["clinic", "vendor"]
        );
        assert_eq!(ids_on(c, "clinic").len(), 14, "{}", c.id);
        assert_eq!(ids_on(c, "vendor").len(), 10, "{}", c.id);
    }
    assert_eq!(
        r7.sheets.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["clinic", "vendor", "pharmacy"]
    );
    assert_eq!(ids_on(&r7, "clinic").len(), 19);
    assert_eq!(ids_on(&r7, "vendor").len(), 14);
    assert_eq!(ids_on(&r7, "pharmacy").len(), 19);
    let rec = builtin("tenken-recommended");
    assert_eq!(rec.kind, ChecklistKind::Recommended);
    assert!(rec.items().count() >= 15);
    assert!(rec.items().all(|i| {
        i.provenance.tag == ProvenanceTag::Tenken
            && i.provenance
                .sources
                .iter()
                .any(|s| s.contains("reference/seeds/0"))
    }));
    assert_eq!(
        checklist::latest_official(&checklist::builtin().unwrap())
            .unwrap()
            .id,
        "mhlw-r7"
    );
}

#[test]
fn known_wordings_deadlines_and_gate() {
    let r7 = builtin("mhlw-r7");
    let pw = r7.item("2-7").unwrap();
    assert!(
        pw.text
            .ja
            .starts_with("パスワードは英数字、記号が混在した8文字以上")
    );
    assert_eq!(pw.provenance.tag, ProvenanceTag::Checked);
    assert!(pw.new_in_version);
    let tfa = r7.item("2-10").unwrap();
    assert!(tfa.deadline.as_ref().unwrap().ja.contains("令和9年度"));
    assert_eq!(tfa.provenance.tag, ProvenanceTag::Reconstructed);
    // The gate item comes first on each MHLW clinic sheet.
    for id in ["mhlw-r5", "mhlw-r6", "mhlw-r7"] {
        let c = builtin(id);
        let first = c.sheet_items("clinic").next().unwrap();
        assert!(
            first.gate && first.text.ja.contains("医療情報システム"),
            "{id}"
        );
    }
    let r5 = builtin("mhlw-r5");
    assert_eq!(
        r5.item("2-1").unwrap().provenance.tag,
        ProvenanceTag::Checked
    );
    assert_eq!(r5.item("2-6").unwrap().scopes, [Scope::Server]);
    assert!(
        r5.item("3-3")
            .unwrap()
            .deadline
            .as_ref()
            .unwrap()
            .ja
            .contains("令和6年度")
    );
    assert!(
        r5.item("1-1")
            .unwrap()
            .deadline
            .as_ref()
            .unwrap()
            .ja
            .contains("令和5年度中")
    );
    // Every MHLW item has guidance in both languages.
    for id in ["mhlw-r5", "mhlw-r6", "mhlw-r7", "tenken-recommended"] {
        for i in builtin(id).items() {
            assert!(
                !i.guidance.why.en.is_empty() && !i.guidance.who.ja.is_empty(),
                "{id} {}",
                i.id
            );
        }
    }
}

#[test]
fn r6_to_r7_mapping_marks_the_new_items() {
    let r6 = builtin("mhlw-r6");
    let r7 = builtin("mhlw-r7");
    let new: Vec<_> = mapping::new_items(&r6, &r7)
        .into_iter()
        .filter(|i| i.sheets == ["clinic"])
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(new, ["1-2", "2-7", "2-8", "2-9", "2-10"]);
    // The R6 patch item 2-(7) is R7's 2-⑥, and back.
    let fwd: Vec<_> = mapping::map_item(&r6, &r7, "2-7")
        .unwrap()
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    assert!(fwd.contains(&"2-6"));
    let back: Vec<_> = mapping::map_item(&r7, &r6, "2-11")
        .unwrap()
        .iter()
        .map(|i| i.id.clone())
        .collect();
    assert_eq!(back, ["2-6"]);
    assert_eq!(mapping::map_item(&r7, &r6, "2-7").unwrap().len(), 0);
    // Not adjacent: no mapping.
    assert!(mapping::map_item(&builtin("mhlw-r5"), &r7, "2-1").is_none());
    assert!(mapping::map_item(&r6, &r7, "no-such-item").is_none());
    // Nothing is new between R5 and R6.
    assert!(mapping::new_items(&builtin("mhlw-r5"), &r6).is_empty());
}

// ---- validator: one synthesised (test-only) checklist, mutated per defect ----

const GOOD: &str = r#"# synthesised test fixture, not a real checklist
id = "test-list"
title = { ja = "テスト", en = "Test" }
fiscal_year = 2025
kind = "official"

[source]
title = "テスト"
publisher = "テスト"
date = "令和7年"
license_note = "test fixture"

[[sheets]]
id = "clinic"
title = { ja = "医療機関確認用", en = "Clinic" }

[[sections]]
id = "1"
title = { ja = "体制構築", en = "Organisation" }

[[sections.items]]
id = "1-1"
number = "1-①"
sheets = ["clinic"]
scopes = ["server"]
text.ja = "責任者を設置している。"
text.en = "Officer appointed."
provenance.tag = "checked"
provenance.sources = ["somewhere"]
guidance.why = { ja = "理由", en = "why" }
guidance.done_when = { ja = "条件", en = "done" }
guidance.who = { ja = "院長", en = "director" }

[[sections.items]]
id = "1-2"
number = "1-②"
sheets = ["clinic"]
scopes = []
text.ja = "規程がある。"
text.en = "Rules exist."
provenance.tag = "reconstructed"
provenance.sources = ["somewhere"]
guidance.why = { ja = "理由", en = "why" }
guidance.done_when = { ja = "条件", en = "done" }
guidance.who = { ja = "院長", en = "director" }
"#;

fn line_of(text: &str, needle: &str) -> usize {
    let off = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in fixture"));
    text[..off].matches('\n').count() + 1
}

/// Parses `text` and returns the single diagnostic's line and message.
fn one_error(text: &str) -> (usize, String) {
    let err = checklist::parse_str("bad.toml", text).unwrap_err();
    let d = err.diagnostics();
    assert!(!d.is_empty(), "expected diagnostics, got {err}");
    assert_eq!(d[0].file, "bad.toml");
    assert!(
        err.to_string()
            .starts_with(&format!("bad.toml:{}:{}: ", d[0].line, d[0].column))
    );
    (d[0].line, d[0].message.clone())
}

#[test]
fn fixture_is_valid() {
    let c = checklist::parse_str("good.toml", GOOD).unwrap();
    assert_eq!(c.items().count(), 2);
}

#[test]
fn rejects_unknown_key() {
    let bad = GOOD.replace("scopes = []", "scopes = []\ncolour = \"red\"");
    let (line, msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "colour"));
    assert!(msg.contains("colour"), "{msg}");
}

#[test]
fn rejects_duplicate_id() {
    let bad = GOOD.replace("id = \"1-2\"", "id = \"1-1\"");
    let (line, msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "number = \"1-②\"") - 1);
    assert!(msg.contains("duplicate item id `1-1`"), "{msg}");
}

#[test]
fn rejects_missing_provenance() {
    let bad = GOOD.replace(
        "provenance.tag = \"reconstructed\"\nprovenance.sources = [\"somewhere\"]\n",
        "",
    );
    let (line, msg) = one_error(&bad);
    assert!(msg.contains("provenance"), "{msg}");
    // The error points into the second item (its table header or a key of it).
    assert!(line >= line_of(&bad, "id = \"1-2\"") - 1, "line {line}");
    // Empty sources are rejected as well, at the sources line.
    let bad = GOOD.replace(
        "provenance.tag = \"reconstructed\"\nprovenance.sources = [\"somewhere\"]",
        "provenance.tag = \"reconstructed\"\nprovenance.sources = []",
    );
    let (line, msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "provenance.sources = []"));
    assert!(msg.contains("provenance.sources is empty"), "{msg}");
}

#[test]
fn rejects_unknown_sheet() {
    let bad = GOOD.replacen(
        "sheets = [\"clinic\"]\nscopes = []",
        "sheets = [\"nurse\"]\nscopes = []",
        1,
    );
    let (line, msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "[\"nurse\"]"));
    assert!(msg.contains("unknown sheet `nurse`"), "{msg}");
}

#[test]
fn rejects_unknown_scope() {
    let bad = GOOD.replace("scopes = [\"server\"]", "scopes = [\"printer\"]");
    let (line, msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "printer"));
    assert!(msg.contains("printer"), "{msg}");
}

#[test]
fn rejects_bad_mapping() {
    let bad = GOOD
        .replace(
            "kind = \"official\"",
            "kind = \"official\"\nprevious = \"mhlw-r6\"",
        )
        .replace(
            "scopes = [\"server\"]",
            "scopes = [\"server\"]\nprevious_ids = [\"1-1\"]",
        )
        .replace("scopes = []", "scopes = []\nprevious_ids = [\"9-9\"]");
    let (line, msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "[\"9-9\"]"));
    assert!(
        msg.contains("previous id `9-9` does not exist in `mhlw-r6`"),
        "{msg}"
    );
    // A previous checklist that does not exist.
    let bad = GOOD.replace(
        "kind = \"official\"",
        "kind = \"official\"\nprevious = \"mhlw-r1\"",
    );
    let (line, msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "previous = "));
    assert!(msg.contains("mhlw-r1"), "{msg}");
}

#[test]
fn rejects_empty_text() {
    let bad = GOOD.replace("text.ja = \"規程がある。\"", "text.ja = \"  \"");
    let (line, msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "text.ja = \"  \""));
    assert!(msg.contains("wording (text.ja) is empty"), "{msg}");
}

#[test]
fn rejects_toml_syntax_error() {
    let bad = GOOD.replace("number = \"1-②\"", "number = \"1-②");
    let (line, _msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "number = \"1-②"));
}

#[test]
fn load_dir_reports_every_bad_file_with_its_name() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.toml"), GOOD).unwrap();
    std::fs::write(
        tmp.path().join("b.toml"),
        GOOD.replace("test-list", "other-list")
            .replace("text.ja = \"規程がある。\"", "text.ja = \"\""),
    )
    .unwrap();
    let err = checklist::load_dir(tmp.path()).unwrap_err();
    let d = err.diagnostics();
    assert_eq!(d.len(), 1, "{err}");
    assert!(d[0].file.ends_with("b.toml"));
    // Two files with the same checklist id.
    std::fs::write(tmp.path().join("b.toml"), GOOD).unwrap();
    let err = checklist::load_dir(tmp.path()).unwrap_err();
    assert!(err.to_string().contains("also defined in"), "{err}");
}

#[test]
fn user_checklists_cannot_shadow_builtins() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("checklists")).unwrap();
    std::fs::write(
        tmp.path().join("checklists/x.toml"),
        GOOD.replace("test-list", "mhlw-r7"),
    )
    .unwrap();
    let err = checklist::all(Some(tmp.path())).unwrap_err();
    assert!(
        err.to_string().contains("already used by a built-in"),
        "{err}"
    );
    std::fs::write(tmp.path().join("checklists/x.toml"), GOOD).unwrap();
    let all = checklist::all(Some(tmp.path())).unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(
        checklist::find("test-list", Some(tmp.path()))
            .unwrap()
            .items()
            .count(),
        2
    );
    assert!(matches!(
        checklist::find("test-list", None),
        Err(ChecklistError::NotFound(_))
    ));
}

#[test]
fn builtins_round_trip_through_the_file_format() {
    // What `save_user_checklist` writes must read back identically through the strict loader.
    for c in checklist::builtin().unwrap() {
        let text = checklist::to_toml(&c).unwrap();
        let back = checklist::parse_str(&format!("{}.toml", c.id), &text).unwrap();
        assert_eq!(back, c, "{}", c.id);
    }
}

#[test]
fn rejects_inconsistent_flags_and_tags() {
    // Tenken advice cannot sit in an official checklist.
    let bad = GOOD.replace(
        "provenance.tag = \"checked\"",
        "provenance.tag = \"tenken\"",
    );
    let (line, msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "provenance.sources = [\"somewhere\"]"));
    assert!(msg.contains("does not fit"), "{msg}");
    // new_in_version needs a previous checklist.
    let bad = GOOD.replace("scopes = []", "scopes = []\nnew_in_version = true");
    let (_, msg) = one_error(&bad);
    assert!(msg.contains("new_in_version needs a `previous`"), "{msg}");
    // With a previous checklist, an unmapped item that is not new is rejected.
    let bad = GOOD
        .replace(
            "kind = \"official\"",
            "kind = \"official\"\nprevious = \"mhlw-r6\"",
        )
        .replace("scopes = []", "scopes = []\nnew_in_version = true");
    let (line, msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "id = \"1-1\""));
    assert!(msg.contains("previous_ids"), "{msg}");
    // Two gate items on one sheet.
    let bad = GOOD
        .replace(
            "scopes = [\"server\"]",
            "scopes = [\"server\"]\ngate = true",
        )
        .replace("scopes = []", "scopes = []\ngate = true");
    let (line, msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "id = \"1-2\""));
    assert!(msg.contains("more than one gate"), "{msg}");
    // Official items need guidance.
    let g = "guidance.why = { ja = \"理由\", en = \"why\" }\nguidance.done_when = { ja = \"条件\", en = \"done\" }\nguidance.who = { ja = \"院長\", en = \"director\" }\n";
    let bad = GOOD.replacen(g, "", 1);
    let (line, msg) = one_error(&bad);
    assert_eq!(line, line_of(&bad, "id = \"1-1\""));
    assert!(
        msg.contains("guidance (why, done_when, who) is required"),
        "{msg}"
    );
    // A partial guidance table is a schema error.
    let bad = GOOD.replacen("guidance.why = { ja = \"理由\", en = \"why\" }\n", "", 1);
    let (_, msg) = one_error(&bad);
    assert!(msg.contains("missing field `why`"), "{msg}");
}

/// Issue 14: `tenken assessment show` prints 1-①, which `assessment answer` refused.
#[test]
fn items_are_found_by_id_or_by_their_printed_number() {
    let cl = tenken_checklist::find("mhlw-r7", None).unwrap();
    for named in ["2-5", "2-⑤", "２－５", " 2-⑤ "] {
        assert_eq!(
            cl.resolve_item(named).map(|i| i.id.as_str()),
            Some("2-5"),
            "{named}"
        );
    }
    assert_eq!(cl.resolve_item("2-⑬").map(|i| i.id.as_str()), Some("2-13"));
    assert!(cl.resolve_item("9-⑨").is_none());
    assert!(cl.resolve_item("").is_none());
}

#[test]
fn r5_items_confirmed_by_the_r5_manual_are_checked_with_their_source() {
    // research-2026-12.md §2.1: OCR of the R5 manual prints both wordings with their numbers.
    let r5 = builtin("mhlw-r5");
    for (id, number, wording, page) in [
        (
            "2-6",
            "2(6)",
            "アクセスログを管理している。",
            "wic-net.com/material/document/11575/9",
        ),
        (
            "2-8",
            "2(8)",
            "接続元制限を実施している。",
            "wic-net.com/material/document/9664/11",
        ),
    ] {
        let i = r5.item(id).unwrap();
        assert_eq!(i.provenance.tag, ProvenanceTag::Checked, "{id}");
        assert_eq!(i.number, number);
        assert_eq!(i.text.ja, wording);
        assert!(
            i.provenance.sources.iter().any(|s| s.contains(page)),
            "{id} cites {page}"
        );
    }
    // The vendor sheet itself was not seen: its copies stay reconstructed.
    for id in ["vendor-2-6", "vendor-2-8"] {
        assert_eq!(
            r5.item(id).unwrap().provenance.tag,
            ProvenanceTag::Reconstructed,
            "{id}"
        );
    }
}

#[test]
fn r6_row_count_mismatch_is_stated_not_guessed() {
    // 13 rows in section 2 (as R5); the reported 14th row is unverified and said so on 2-(7).
    let r6 = builtin("mhlw-r6");
    let rows: usize = r6
        .sections
        .iter()
        .find(|s| s.id == "2")
        .unwrap()
        .items
        .iter()
        .filter(|i| i.sheets.iter().any(|s| s == "clinic"))
        .map(|i| i.answer_scopes().len())
        .sum();
    assert_eq!(rows, 13);
    let note = r6.item("2-7").unwrap().provenance.note.clone().unwrap();
    assert!(note.contains("14") && note.contains("13"), "{note}");
}

#[test]
fn provenance_labels_are_plain_words_in_both_languages() {
    use tenken_base::Lang;
    for tag in [
        ProvenanceTag::Checked,
        ProvenanceTag::Quoted,
        ProvenanceTag::Secondary,
        ProvenanceTag::Reconstructed,
        ProvenanceTag::Imported,
        ProvenanceTag::Tenken,
    ] {
        assert!(!tag.label(Lang::Ja).is_ascii(), "{tag:?}");
        assert!(tag.label(Lang::En).is_ascii(), "{tag:?}");
    }
    assert!(
        ProvenanceTag::Reconstructed
            .label(Lang::Ja)
            .contains("公式文言ではありません")
    );
}
