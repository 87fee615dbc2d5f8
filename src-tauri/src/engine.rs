//! The single seam to engine parts that are not merged into this branch yet. Each function here is
//! meant to become a one-line call into `tenken_core` once the engine lands.

use tenken_core::checklist::Checklist;

/// Built-in checklist versions.
///
/// TEMPORARY SEAM: the lead replaces the body with `tenken_core::checklist::builtin()`.
/// Until then it loads a small SYNTHETIC fixture (two items, titled 「仮」) so the screens can be
/// exercised; it is not MHLW wording.
pub(crate) fn checklists() -> Vec<Checklist> {
    const FIXTURE: &str = include_str!("../fixtures/synthetic-checklist.json");
    match serde_json::from_str::<Checklist>(FIXTURE) {
        Ok(c) => vec![c],
        Err(_) => Vec::new(),
    }
}
