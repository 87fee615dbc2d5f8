//! Network consent held by the backend (issue 15 item 7): `network_plan` shows what would be
//! contacted and issues a one-time consent id bound to exactly those targets; the check only runs
//! with that id, within a few minutes, with the targets the backend showed (never a list the page
//! supplies); and the consent (what was shown, when, when agreed) is kept as evidence in the signed
//! bundle.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use rand_core::{OsRng, RngCore};
use tenken_core::evidence::{Evidence, SourceKind, sha256_hex};

use crate::dto::{CmdResult, CommandError};

/// How long a shown plan can be agreed to.
pub const VALID_FOR_MINUTES: i64 = 10;

/// A plan shown to the person, waiting for their agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// One-time id given to the page with the plan.
    pub id: String,
    /// The targets shown.
    pub targets: Vec<String>,
    /// When the plan was shown.
    pub shown_at: DateTime<Utc>,
}

/// The consent the check runs under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    /// The targets agreed to.
    pub targets: Vec<String>,
    /// When the plan was shown.
    pub shown_at: DateTime<Utc>,
    /// When the person agreed (the check was started).
    pub agreed_at: DateTime<Utc>,
}

/// The one pending plan (a new plan replaces an older one).
#[derive(Debug, Default)]
pub struct Consents(Mutex<Option<Pending>>);

impl Consents {
    /// Records a plan shown for `targets`; returns its one-time id.
    pub fn offer(&self, targets: Vec<String>, now: DateTime<Utc>) -> String {
        let mut b = [0u8; 16];
        OsRng.fill_bytes(&mut b);
        let id = hex::encode(b);
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(Pending {
                id: id.clone(),
                targets,
                shown_at: now,
            });
        }
        id
    }

    /// Takes the consent `id` at `now`: the targets shown with it. Refused when no plan with
    /// that id was shown, or it is older than [`VALID_FOR_MINUTES`]; an id works once.
    pub fn take(&self, id: &str, now: DateTime<Utc>) -> CmdResult<Given> {
        let mut slot = self.0.lock().map_err(|_| {
            CommandError::invalid("同意の記録を読めません", "consent state unavailable")
        })?;
        let again = || {
            CommandError::invalid(
                "確認する相手をもう一度表示して、同意してから始めてください",
                "Show the targets again and agree before starting",
            )
        };
        match slot.take() {
            Some(p) if p.id == id && now - p.shown_at <= Duration::minutes(VALID_FOR_MINUTES) => {
                Ok(Given {
                    targets: p.targets,
                    shown_at: p.shown_at,
                    agreed_at: now,
                })
            }
            Some(p) if p.id != id => {
                // A stale page does not spend the current plan.
                *slot = Some(p);
                Err(again())
            }
            _ => Err(again()),
        }
    }
}

/// The consent as an evidence record of the network check (kept in the signed bundle).
pub fn evidence(given: &Given) -> Evidence {
    let raw = serde_json::json!({
        "consent": "shown in the app and agreed by the person using it",
        "targets": given.targets,
        "shown_at": given.shown_at.to_rfc3339(),
        "agreed_at": given.agreed_at.to_rfc3339(),
    })
    .to_string();
    Evidence {
        kind: SourceKind::Api,
        source: "tenken:consent".into(),
        raw_len: raw.len() as u64,
        raw_sha256: sha256_hex(raw.as_bytes()),
        raw,
        truncated: false,
        encoding: Some("utf-8".into()),
        stderr: None,
        started_at: given.shown_at,
        ended_at: given.agreed_at,
        exit_code: None,
        elevated: false,
        error: None,
        raw_deflate: None,
        same_as: None,
        note: Some("the network check ran only on what this consent names".into()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_check_runs_only_on_the_plan_shown_once_and_recently() {
        let c = Consents::default();
        let t0 = Utc::now();
        let id = c.offer(vec!["gateway".into()], t0);
        assert_eq!(id.len(), 32);
        // A made-up id is refused and does not spend the real one.
        assert!(c.take("0000", t0).is_err());
        let given = c.take(&id, t0 + Duration::minutes(2)).unwrap();
        assert_eq!(given.targets, vec!["gateway".to_string()]);
        assert_eq!(given.shown_at, t0);
        // Once only.
        assert!(c.take(&id, t0 + Duration::minutes(3)).is_err());
        // Too old.
        let id = c.offer(vec!["gateway".into()], t0);
        assert!(
            c.take(&id, t0 + Duration::minutes(VALID_FOR_MINUTES + 1))
                .is_err()
        );
        // A newer plan replaces the older one.
        let old = c.offer(vec!["gateway".into()], t0);
        let new = c.offer(vec!["192.168.1.0/24".into()], t0);
        assert!(c.take(&old, t0).is_err());
        assert_eq!(
            c.take(&new, t0).unwrap().targets,
            vec!["192.168.1.0/24".to_string()]
        );
        let e = evidence(&given);
        assert_eq!(e.source, "tenken:consent");
        assert!(e.raw.contains("gateway") && e.raw_sha256 == sha256_hex(e.raw.as_bytes()));
    }
}
