//! The evidence registry (`checklists/evidence/evidence-map.toml`) cross-checked against the
//! checklists: every declared item exists, every version the mapping reaches (through
//! `previous_ids`) is on the declared topic, and a new year gets its evidence from data alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tenken_checklist::mapping::evidence::{Bears, EvidenceMap, ProbeKind};
use tenken_checklist::{self as checklist, Checklist};

fn lists() -> Vec<Checklist> {
    checklist::builtin().unwrap()
}

fn get<'a>(l: &'a [Checklist], id: &str) -> &'a Checklist {
    l.iter().find(|c| c.id == id).unwrap()
}

fn ids(map: &EvidenceMap, probe: &str, c: &Checklist, l: &[Checklist]) -> Vec<String> {
    map.items_in(probe, c, l)
        .into_iter()
        .map(|x| x.item)
        .collect()
}

#[test]
fn every_mapped_item_exists_and_is_on_topic_in_every_version() {
    let map = EvidenceMap::builtin().unwrap();
    let l = lists();
    let mut checked = 0;
    for p in &map.probes {
        for m in &p.items {
            let anchor = get(&l, map.anchor_of(m));
            let item = anchor
                .item(&m.item)
                .unwrap_or_else(|| panic!("{}: no item {} in {}", p.id, m.item, anchor.id));
            assert!(
                item.text.ja.contains(&m.topic),
                "{}: {} {} is not about 「{}」",
                p.id,
                anchor.id,
                m.item,
                m.topic
            );
        }
        for c in &l {
            for link in map.items_in(&p.id, c, &l) {
                let item = c.item(&link.item).unwrap();
                assert!(
                    item.text.ja.contains(&link.topic),
                    "{} is mapped to {} {} 「{}」, which is not about 「{}」",
                    p.id,
                    c.id,
                    link.item,
                    item.text.ja,
                    link.topic
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 40, "mapping reached only {checked} items");
}

#[test]
fn r7_2_12_follows_r6_2_9_never_r6_2_5() {
    let map = EvidenceMap::builtin().unwrap();
    let l = lists();
    for (c, want) in [("mhlw-r7", "2-12"), ("mhlw-r6", "2-9"), ("mhlw-r5", "2-9")] {
        for p in ["smb.v1", "remote.rdp", "remote.tools"] {
            assert_eq!(ids(map, p, get(&l, c), &l), [want], "{p} in {c}");
        }
    }
    // wifi.security speaks to 接続元制限 (context), never to accounts.
    assert_eq!(ids(map, "wifi.security", get(&l, "mhlw-r6"), &l), ["2-8"]);
    // Items new in R7 have no R6/R5 counterpart: nothing is sent to R6 2-5.
    for p in ["usb.storage", "accounts.policy"] {
        assert!(ids(map, p, get(&l, "mhlw-r6"), &l).is_empty(), "{p}");
        assert!(ids(map, p, get(&l, "mhlw-r5"), &l).is_empty(), "{p}");
    }
    // The original probes reach R5 too.
    assert_eq!(ids(map, "firewall.host", get(&l, "mhlw-r5"), &l), ["2-8"]);
    assert_eq!(ids(map, "os.patches", get(&l, "mhlw-r5"), &l), ["2-7"]);
    assert_eq!(
        ids(map, "antivirus.status", get(&l, "mhlw-r5"), &l),
        ["2-7"]
    );
    assert_eq!(
        ids(map, "ports.listening", get(&l, "mhlw-r5"), &l),
        ["2-9", "2-8"]
    );
    assert_eq!(
        ids(map, "net.peers", get(&l, "mhlw-r5"), &l),
        ["2-2", "2-8"]
    );
    assert_eq!(
        ids(map, "net.gateway", get(&l, "mhlw-r5"), &l),
        ["2-1", "2-8"]
    );
}

#[test]
fn firewall_speaks_to_source_restriction_and_network_facts_are_context_only() {
    let map = EvidenceMap::builtin().unwrap();
    let l = lists();
    let r7 = get(&l, "mhlw-r7");
    let fw = map.items_in("firewall.host", r7, &l);
    assert_eq!(fw.len(), 1);
    assert_eq!((fw[0].item.as_str(), fw[0].bears), ("2-13", Bears::Verdict));
    // 「接続しているネットワークは1つです」 says nothing about a ledger or source restriction.
    for p in ["net.gateway", "net.peers", "net.gateway.reach"] {
        for link in map.items_in(p, r7, &l) {
            assert_eq!(link.bears, Bears::Context, "{p} {}", link.item);
        }
    }
    let usb = map.items_in("usb.storage", r7, &l);
    assert_eq!(
        (usb[0].item.as_str(), usb[0].bears),
        ("2-9", Bears::Verdict)
    );
    assert_eq!(map.probe("usb.storage").unwrap().kind, ProbeKind::Local);
    assert_eq!(map.probe("net.upnp").unwrap().kind, ProbeKind::Network);
}

/// A next year imported as data (items naming their R7 ids in `previous_ids`, one renumbered)
/// gets its evidence with no program change.
#[test]
fn a_new_year_gets_its_evidence_through_previous_links() {
    let map = EvidenceMap::builtin().unwrap();
    let l = lists();
    let mut r8 = get(&l, "mhlw-r7").clone();
    r8.id = "mhlw-r8".into();
    r8.previous = Some("mhlw-r7".into());
    for s in &mut r8.sections {
        for i in &mut s.items {
            i.previous_ids = vec![i.id.clone()];
            i.new_in_version = false;
            if i.id == "2-12" {
                i.id = "2-14".into();
            }
        }
    }
    assert!(map.covers(&r8, &l));
    assert_eq!(ids(map, "smb.v1", &r8, &l), ["2-14"]);
    assert_eq!(ids(map, "usb.storage", &r8, &l), ["2-9"]);
    assert_eq!(ids(map, "firewall.host", &r8, &l), ["2-13"]);
    // An unrelated checklist is not covered and gets nothing.
    let mut other = r8.clone();
    other.id = "other".into();
    other.previous = None;
    assert!(!map.covers(&other, &l));
    assert!(ids(map, "smb.v1", &other, &l).is_empty());
}

#[test]
fn unknown_keys_in_the_registry_are_errors() {
    let e = EvidenceMap::parse(
        "m.toml",
        "anchor = \"mhlw-r7\"\n[[probes]]\nid = \"x\"\nkind = \"local\"\nitmes = []\n",
    )
    .unwrap_err();
    assert!(e.to_string().contains("itmes"), "{e}");
}
