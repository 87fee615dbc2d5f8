//! What a hospital needs first from hundreds of PCs: the PCs per role with how many have a
//! 不適合 or 未確認, the PCs not checked for weeks, and the problems found on the most PCs.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use tenken_base::Text;
use tenken_evidence::{Bundle, Verdict};

/// A PC whose last check is older than this many days is "not seen".
pub const STALE_DAYS: i64 = 30;

/// PCs of one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleSummary {
    /// The role (empty: not set).
    pub role: String,
    /// PCs with that role.
    pub hosts: usize,
    /// PCs with at least one 不適合.
    pub with_fail: usize,
    /// PCs with at least one 未確認.
    pub with_unknown: usize,
    /// PCs not checked for more than [`STALE_DAYS`] days.
    pub stale: usize,
}

/// One problem and the PCs it was found on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopFinding {
    /// Probe id.
    pub probe_id: String,
    /// The check's title.
    pub title: Text,
    /// 不適合 or 要改善.
    pub verdict: Verdict,
    /// Number of PCs.
    pub hosts: usize,
    /// The first PCs (by name).
    pub examples: Vec<String>,
}

/// The fleet summary.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct FleetSummary {
    /// PCs per role, most PCs first (not set last).
    pub roles: Vec<RoleSummary>,
    /// PCs not checked for more than [`STALE_DAYS`] days, oldest first, with their last check.
    pub stale: Vec<(String, DateTime<Utc>)>,
    /// Problems found on the most PCs: 不適合 first, then 要改善; at most 10.
    pub top: Vec<TopFinding>,
}

/// Summarises `bundles` (one current bundle per PC) with each PC's role from `role_of`, at `now`.
pub fn summarise(
    bundles: &[Bundle],
    role_of: &dyn Fn(&str) -> Option<String>,
    now: DateTime<Utc>,
) -> FleetSummary {
    let mut s = Summariser::new(now);
    for b in bundles {
        s.add(b, role_of(&b.host.hostname));
    }
    s.finish()
}

/// [`summarise`] one bundle at a time: what it keeps per PC is its name (in the role counts,
/// the stale list and the problems' host lists), never the bundle, so a ledger of thousands of
/// PCs can read each bundle, add it and drop it.
#[derive(Debug)]
pub struct Summariser {
    now: DateTime<Utc>,
    roles: BTreeMap<String, RoleSummary>,
    stale: Vec<(String, DateTime<Utc>)>,
    top: BTreeMap<(u8, String), (Text, Vec<String>)>,
}

impl Summariser {
    /// An empty summary as of `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now,
            roles: BTreeMap::new(),
            stale: Vec::new(),
            top: BTreeMap::new(),
        }
    }

    /// Adds one PC's current bundle, with the PC's role.
    pub fn add(&mut self, b: &Bundle, role: Option<String>) {
        let host = b.host.hostname.clone();
        let role = role.unwrap_or_default();
        let r = self
            .roles
            .entry(role.clone())
            .or_insert_with(|| RoleSummary {
                role,
                hosts: 0,
                with_fail: 0,
                with_unknown: 0,
                stale: 0,
            });
        r.hosts += 1;
        if b.findings.iter().any(|f| f.verdict == Verdict::Fail) {
            r.with_fail += 1;
        }
        if b.findings.iter().any(|f| f.verdict == Verdict::Unknown) {
            r.with_unknown += 1;
        }
        if (self.now - b.ended_at).num_days() > STALE_DAYS {
            r.stale += 1;
            self.stale.push((host.clone(), b.ended_at));
        }
        for f in &b.findings {
            let rank = match f.verdict {
                Verdict::Fail => 0u8,
                Verdict::Warn => 1,
                _ => continue,
            };
            let e = self
                .top
                .entry((rank, f.probe_id.clone()))
                .or_insert_with(|| (f.title.clone(), Vec::new()));
            if !e.1.contains(&host) {
                e.1.push(host.clone());
            }
        }
    }

    /// The summary of every PC added.
    pub fn finish(self) -> FleetSummary {
        let Self {
            roles,
            mut stale,
            top,
            ..
        } = self;
        let mut roles: Vec<RoleSummary> = roles.into_values().collect();
        roles.sort_by(|a, b| {
            (a.role.is_empty(), std::cmp::Reverse(a.hosts), &a.role).cmp(&(
                b.role.is_empty(),
                std::cmp::Reverse(b.hosts),
                &b.role,
            ))
        });
        stale.sort_by_key(|(_, t)| *t);
        let mut top: Vec<TopFinding> = top
            .into_iter()
            .map(|((rank, probe_id), (title, mut hosts))| {
                hosts.sort();
                TopFinding {
                    probe_id,
                    title,
                    verdict: if rank == 0 {
                        Verdict::Fail
                    } else {
                        Verdict::Warn
                    },
                    hosts: hosts.len(),
                    examples: hosts.into_iter().take(5).collect(),
                }
            })
            .collect();
        top.sort_by(|a, b| {
            (
                a.verdict != Verdict::Fail,
                std::cmp::Reverse(a.hosts),
                &a.probe_id,
            )
                .cmp(&(
                    b.verdict != Verdict::Fail,
                    std::cmp::Reverse(b.hosts),
                    &b.probe_id,
                ))
        });
        top.truncate(10);
        FleetSummary { roles, stale, top }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn bundle(host: &str, age_days: i64, verdicts: &[(&str, Verdict)]) -> Bundle {
        let mut b = tenken_testkit::sample::input_parts().2.remove(0);
        b.host.hostname = host.into();
        b.ended_at = Utc::now() - chrono::Duration::days(age_days);
        b.findings
            .retain(|f| verdicts.iter().any(|(p, _)| *p == f.probe_id));
        for f in &mut b.findings {
            f.verdict = verdicts.iter().find(|(p, _)| *p == f.probe_id).unwrap().1;
        }
        b
    }

    #[test]
    fn roles_stale_pcs_and_worst_problems_first() {
        let fw = "firewall.host";
        let av = "antivirus.status";
        let bundles = vec![
            bundle("UKE-1", 1, &[(fw, Verdict::Fail), (av, Verdict::Pass)]),
            bundle("UKE-2", 45, &[(fw, Verdict::Fail), (av, Verdict::Warn)]),
            bundle("SHIN-1", 2, &[(fw, Verdict::Pass), (av, Verdict::Warn)]),
            bundle("SRV-1", 3, &[(fw, Verdict::Unknown), (av, Verdict::Warn)]),
        ];
        assert!(
            bundles.iter().all(|b| b.findings.len() == 2),
            "sample lacks the probes"
        );
        let role = |h: &str| match h {
            "UKE-1" | "UKE-2" => Some("受付PC".to_string()),
            "SRV-1" => Some("電子カルテサーバ".to_string()),
            _ => None,
        };
        let s = summarise(&bundles, &role, Utc::now());
        assert_eq!(s.roles[0].role, "受付PC");
        assert_eq!(
            (s.roles[0].hosts, s.roles[0].with_fail, s.roles[0].stale),
            (2, 2, 1)
        );
        assert_eq!(s.roles.last().unwrap().role, "", "role not set comes last");
        assert_eq!(s.roles[1].with_unknown, 1);
        assert_eq!(s.stale.len(), 1);
        assert_eq!(s.stale[0].0, "UKE-2");
        // 不適合 first even when a 要改善 is on more PCs.
        assert_eq!(s.top[0].probe_id, fw);
        assert_eq!(s.top[0].verdict, Verdict::Fail);
        assert_eq!(s.top[0].hosts, 2);
        assert_eq!(s.top[1].probe_id, av);
        assert_eq!(s.top[1].hosts, 3);
    }
}
