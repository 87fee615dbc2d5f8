//! The device ledger read from a real store: facts, roles, devices; superseded bundles skipped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use tenken_store::{BundleTrust, DB_FILE_NAME, Device, NewAssessment, Store};

/// Synthesised bundle JSON of `host` with the given findings (probe id, verdict, facts).
fn bundle(host: &str, findings: &[(&str, &str, serde_json::Value)]) -> String {
    let f: Vec<_> = findings
        .iter()
        .map(|(id, v, facts)| {
            json!({"probe_id": id, "title": {"ja": id, "en": id}, "verdict": v,
                   "summary": {"ja": format!("{id} 要約"), "en": "summary"},
                   "action": {"ja": "", "en": ""}, "facts": facts,
                   "checklist_refs": [], "evidence": []})
        })
        .collect();
    json!({"format": "tenken-bundle/1",
           "host": {"hostname": host, "os_family": "linux", "os_name": "Ubuntu 22.04",
                    "os_version": "22.04", "os_build": "", "ips": ["192.0.2.10"],
                    "macs": ["00:11:22:33:44:55"], "user": "u", "elevated": true,
                    "tool_version": "0.1.0"},
           "started_at": "2025-06-01T00:00:00Z", "ended_at": "2025-06-01T00:01:00Z",
           "findings": f})
    .to_string()
}

#[test]
fn ledger_reads_facts_roles_devices_and_skips_superseded() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join(DB_FILE_NAME)).unwrap();
    let old = bundle("ORCA", &[("antivirus.status", "fail", json!({}))]);
    let new = bundle(
        "ORCA",
        &[
            (
                "os.patches",
                "pass",
                json!({"last_update": "2025-05-20T03:00:00+00:00"}),
            ),
            (
                "os.support",
                "pass",
                json!({"build": "22.04.4", "end_of_support": "2027-04-30"}),
            ),
            ("antivirus.status", "warn", json!({})),
            ("firewall.host", "unknown", json!({})),
            (
                "remote.tools",
                "fail",
                json!({"tools": [{"product": "AnyDesk"}, {"product": "TeamViewer"}]}),
            ),
            (
                "ports.listening",
                "warn",
                json!({"listeners": [
                    {"port": 5432, "proto": "tcp", "service": "PostgreSQL",
                     "severity": "warn", "exposure": "all_interfaces"},
                    {"port": 5900, "proto": "tcp", "service": "VNC",
                     "severity": "fail", "exposure": "loopback"},
                    {"port": 22, "proto": "tcp", "service": null,
                     "severity": null, "exposure": "all_interfaces"}]}),
            ),
        ],
    );
    store
        .add_bundle_checked(None, "ORCA", &old, None, true, BundleTrust::Verified, None)
        .unwrap();
    // The ledger is per assessment; use a real one.
    let cl = tenken_checklist::builtin()
        .unwrap()
        .into_iter()
        .find(|c| c.id == "mhlw-r7")
        .unwrap();
    let aid = store
        .create_assessment(
            &cl,
            &NewAssessment {
                fiscal_year: 2025,
                checklist_id: cl.id.clone(),
                sheet: tenken_base::Sheet::Clinic,
                profile: Default::default(),
                assessor: Default::default(),
            },
        )
        .unwrap();
    store
        .add_bundle_checked(
            Some(aid),
            "ORCA",
            &old,
            None,
            true,
            BundleTrust::Verified,
            None,
        )
        .unwrap();
    store
        .add_bundle_checked(
            Some(aid),
            "ORCA",
            &new,
            Some(b"sig"),
            true,
            BundleTrust::Unverified,
            Some("他院"),
        )
        .unwrap();
    store.set_host_role("ORCA", "レセコン").unwrap();
    store
        .upsert_device(&Device {
            kind: "utm".into(),
            name: "UTM".into(),
            managed_by: "vendor:ABC".into(),
            ..Default::default()
        })
        .unwrap();
    let l = tenken_ledger::build(&store, aid).unwrap();
    assert_eq!(l.hosts.len(), 1, "superseded bundle must not appear");
    let h = &l.hosts[0];
    assert_eq!(h.role.as_deref(), Some("レセコン"));
    assert_eq!(h.last_patch.as_deref(), Some("2025-05-20T03:00:00+00:00"));
    assert_eq!(h.os_build.as_deref(), Some("22.04.4"));
    assert_eq!(h.end_of_support.as_deref(), Some("2027-04-30"));
    assert_eq!(
        h.antivirus.as_ref().unwrap().verdict,
        tenken_evidence::Verdict::Warn
    );
    assert!(h.firewall.is_none(), "unknown stays 未確認");
    assert_eq!(
        h.risky_ports.as_deref(),
        Some(&["5432/tcp PostgreSQL".to_string()][..])
    );
    assert_eq!(
        h.remote_tools.as_deref(),
        Some(&["AnyDesk".to_string(), "TeamViewer".to_string()][..])
    );
    assert_eq!(h.trust, BundleTrust::Unverified);
    assert_eq!(h.signer.as_deref(), Some("他院"));
    assert_eq!(l.devices.len(), 1);
    let csv = l.to_csv(tenken_base::Lang::Ja);
    assert!(
        csv.contains("ORCA,レセコン,Ubuntu 22.04,22.04.4,192.0.2.10,"),
        "{csv}"
    );
    assert!(csv.contains("未確認"), "{csv}");
    assert!(csv.contains("utm,UTM,"), "{csv}");
    assert!(store.remove_device("UTM").unwrap());
    assert!(!store.remove_device("UTM").unwrap());
}
