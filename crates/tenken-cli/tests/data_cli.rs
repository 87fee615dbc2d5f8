//! `tenken data`: the known-exploited catalogue in use, its age, and installing a newer one
//! carried over from another PC (no network). A refused file changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{ok, tenken};

fn catalogue(date: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/kev/known_exploited_vulnerabilities.json"
    ))
    .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["dateReleased"] = serde_json::json!(format!("{date}T00:00:00Z"));
    v["catalogVersion"] = serde_json::json!(date.replace('-', "."));
    v
}

#[test]
fn show_says_the_builtin_copy_is_stale_and_update_installs_a_newer_one() {
    let data = tempfile::tempdir().unwrap();
    let show = ok(&tenken(data.path(), &["data", "show"]));
    assert!(show.contains("2025.08.25"), "{show}");
    assert!(show.contains("1404"), "{show}");
    assert!(show.contains("Tenken に同梱"), "{show}");
    // Built 2025-08-25: older than 31 days today, so it says so and how to fix it.
    assert!(show.contains("古くなっています"), "{show}");
    assert!(show.contains("tenken data update"), "{show}");

    let src = tempfile::tempdir().unwrap();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let newer = src.path().join("kev.json");
    std::fs::write(&newer, serde_json::to_vec(&catalogue(&today)).unwrap()).unwrap();
    let out = ok(&tenken(
        data.path(),
        &["data", "update", newer.to_str().unwrap()],
    ));
    assert!(out.contains("取り込みました"), "{out}");
    let show = ok(&tenken(data.path(), &["data", "show"]));
    assert!(show.contains(&today.replace('-', ".")), "{show}");
    assert!(show.contains("新しい"), "{show}");
    assert!(!show.contains("古くなっています"), "{show}");

    // Not a catalogue: refused in Japanese with the reason; the installed one stays.
    let bad = src.path().join("bad.json");
    std::fs::write(&bad, b"{\"title\": \"something else\"}").unwrap();
    let out = tenken(data.path(), &["data", "update", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("KEV"), "{err}");
    let show = ok(&tenken(data.path(), &["data", "show"]));
    assert!(show.contains(&today.replace('-', ".")), "{show}");

    // An older catalogue than the one in use is refused too.
    let old = src.path().join("old.json");
    std::fs::write(&old, serde_json::to_vec(&catalogue("2026-01-05")).unwrap()).unwrap();
    let out = tenken(data.path(), &["data", "update", old.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("古い"));
}
