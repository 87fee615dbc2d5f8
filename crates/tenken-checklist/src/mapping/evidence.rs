//! Which automatic check gives evidence for which checklist item, as data
//! (`checklists/evidence/evidence-map.toml`, embedded). Items are named in the newest version of
//! each checklist family; every other version is derived through the items' `previous_ids`
//! links (backwards and forwards), so a new MHLW year gets its evidence without a program change.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::map_item;
use crate::{Checklist, ChecklistError, Diagnostic};

/// Name of the embedded registry, used in error positions.
pub const MAP_FILE: &str = "checklists/evidence/evidence-map.toml";
const MAP_TEXT: &str = include_str!("../../../../checklists/evidence/evidence-map.toml");

/// How a finding bears on the answer to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bears {
    /// The finding tests what the item asks: its verdict can support or contradict the answer.
    Verdict,
    /// Related facts shown under the item; never makes it green, never contradicts it.
    Context,
}

/// Where a probe looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeKind {
    /// Reads this PC only.
    Local,
    /// A network check, run only with consent.
    Network,
}

/// Who can still check a probe's subject when the automatic check could not (未確認).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "CheckerDto"))]
pub enum Checker {
    /// Clinic staff, on the PC's own screens (security settings, backup records...).
    Staff,
    /// The vendor (事業者): administrator settings, policies, network equipment.
    Vendor,
}

/// One declared (probe, item) pair, in the item's anchor checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappedItem {
    /// Checklist the item is named in (the registry's `anchor` when not given).
    #[serde(default)]
    pub checklist: Option<String>,
    /// Item id in that checklist.
    pub item: String,
    /// A word the item's Japanese text contains in every version (checked by tests).
    pub topic: String,
    /// How the finding bears on the answer.
    pub bears: Bears,
}

/// One probe's entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeEntry {
    /// Stable probe id (e.g. `usb.storage`).
    pub id: String,
    /// Local or network check.
    pub kind: ProbeKind,
    /// Who can check it when the automatic check could not.
    pub checker: Checker,
    /// Items the probe speaks to.
    #[serde(default)]
    pub items: Vec<MappedItem>,
}

/// The registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceMap {
    /// Default checklist the items are named in (the newest MHLW version).
    pub anchor: String,
    /// Every probe.
    pub probes: Vec<ProbeEntry>,
}

/// An item of a concrete checklist a probe speaks to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemLink {
    /// Item id in the target checklist.
    pub item: String,
    /// How the finding bears on the answer.
    pub bears: Bears,
    /// The topic word from the registry.
    pub topic: String,
}

impl EvidenceMap {
    /// Parses a registry text; `name` is used in error positions.
    pub fn parse(name: &str, text: &str) -> Result<EvidenceMap, ChecklistError> {
        toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            ChecklistError::Invalid(vec![Diagnostic::at(name, text, offset, e.message())])
        })
    }

    /// The embedded registry (parsed once).
    pub fn builtin() -> Result<&'static EvidenceMap, ChecklistError> {
        static MAP: OnceLock<Result<EvidenceMap, String>> = OnceLock::new();
        MAP.get_or_init(|| EvidenceMap::parse(MAP_FILE, MAP_TEXT).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|m| ChecklistError::Invalid(vec![Diagnostic::at(MAP_FILE, "", 0, m.clone())]))
    }

    /// The entry of `probe_id`, if registered.
    pub fn probe(&self, probe_id: &str) -> Option<&ProbeEntry> {
        self.probes.iter().find(|p| p.id == probe_id)
    }

    /// Items of `target` at least one probe tests (`bears = verdict`): the answer can be backed
    /// or contradicted by an automatic check. Items outside it cannot be checked automatically.
    pub fn verdict_items(&self, target: &Checklist, known: &[Checklist]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.probes {
            for l in self.items_in(&p.id, target, known) {
                if l.bears == Bears::Verdict && !out.contains(&l.item) {
                    out.push(l.item);
                }
            }
        }
        out
    }

    /// The anchor checklist id of one declared item.
    pub fn anchor_of<'a>(&'a self, m: &'a MappedItem) -> &'a str {
        m.checklist.as_deref().unwrap_or(&self.anchor)
    }

    /// The items of `target` that `probe_id` speaks to, derived from the declared items through
    /// `previous_ids` links. `known` holds the checklists the path may pass through (the built-in
    /// set plus imported ones); `target` itself need not be in it. Empty when the probe is not
    /// registered or the target is not linked to the anchor.
    pub fn items_in(
        &self,
        probe_id: &str,
        target: &Checklist,
        known: &[Checklist],
    ) -> Vec<ItemLink> {
        let mut out: Vec<ItemLink> = Vec::new();
        let Some(entry) = self.probe(probe_id) else {
            return out;
        };
        for m in &entry.items {
            let Some(path) = path(self.anchor_of(m), target, known) else {
                continue;
            };
            let mut ids = vec![m.item.clone()];
            for pair in path.windows(2) {
                let (from, to) = (pair[0], pair[1]);
                let mut next = Vec::new();
                for id in &ids {
                    for i in map_item(from, to, id).unwrap_or_default() {
                        if !next.contains(&i.id) {
                            next.push(i.id.clone());
                        }
                    }
                }
                ids = next;
            }
            for id in ids {
                if target.item(&id).is_none() {
                    continue;
                }
                match out.iter_mut().find(|l| l.item == id) {
                    // One item reached twice: the stronger bearing wins.
                    Some(l) if m.bears == Bears::Verdict => l.bears = Bears::Verdict,
                    Some(_) => {}
                    None => out.push(ItemLink {
                        item: id,
                        bears: m.bears,
                        topic: m.topic.clone(),
                    }),
                }
            }
        }
        out
    }

    /// Whether `target` is linked to an anchor of the registry (so the registry, not a
    /// finding's stored references, decides which of its items a finding speaks to).
    pub fn covers(&self, target: &Checklist, known: &[Checklist]) -> bool {
        let mut anchors: Vec<&str> = vec![self.anchor.as_str()];
        for p in &self.probes {
            for m in &p.items {
                let a = self.anchor_of(m);
                if !anchors.contains(&a) {
                    anchors.push(a);
                }
            }
        }
        anchors.iter().any(|a| path(a, target, known).is_some())
    }
}

/// The chain of checklists from `anchor` to `target` (both ends included) following `previous`
/// links in either direction; `None` when they are not linked.
fn path<'a>(
    anchor: &str,
    target: &'a Checklist,
    known: &'a [Checklist],
) -> Option<Vec<&'a Checklist>> {
    let find = |id: &str| -> Option<&'a Checklist> {
        if target.id == id {
            Some(target)
        } else {
            known.iter().find(|c| c.id == id)
        }
    };
    // Anchor older than (or equal to) the target: walk back from the target, then reverse.
    if let Some(mut chain) = back_chain(target, anchor, &find) {
        chain.reverse();
        return Some(chain);
    }
    // Target older than the anchor: walk back from the anchor.
    back_chain(find(anchor)?, &target.id, &find)
}

/// `start`, its previous version, and so on until `stop_id`; `None` if never reached.
fn back_chain<'a>(
    start: &'a Checklist,
    stop_id: &str,
    find: &dyn Fn(&str) -> Option<&'a Checklist>,
) -> Option<Vec<&'a Checklist>> {
    let mut chain = vec![start];
    let mut cur = start;
    while cur.id != stop_id {
        let prev = find(cur.previous.as_deref()?)?;
        if chain.iter().any(|c| c.id == prev.id) {
            return None;
        }
        chain.push(prev);
        cur = prev;
    }
    Some(chain)
}
