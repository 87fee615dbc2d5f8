//! The observations of a network check kept whole in the bundle, so `tenken scan --replay
//! BUNDLE` re-judges the network findings as well as the local ones (the same rule as a
//! recording directory's `network.json`).
//!
//! The record's readable `raw` is a short beginning (it is printed in the report's evidence);
//! the whole JSON is in `raw_deflate`, and its SHA-256 and length are those of the whole text.

use tenken_evidence::{Bundle, Evidence, sha256_hex};
use tenken_probe::evidence_of::{bounded, deflate_b64, inflate_b64};

use crate::{NetError, Observations};

/// The `source` of the evidence record holding the observations.
pub const OBSERVATIONS_SOURCE: &str = "tenken:network-observations";

/// How much of the JSON stays readable in `raw`.
const READABLE: usize = 2048;

/// The evidence record of `obs`: source [`OBSERVATIONS_SOURCE`], hash and length of the whole
/// JSON, a readable beginning, the whole text compressed.
pub fn observations_evidence(obs: &Observations) -> Evidence {
    let json = serde_json::to_string(obs).unwrap_or_default();
    let (raw, truncated) = bounded(&json, READABLE);
    let mut e = crate::eval::net_evidence(
        OBSERVATIONS_SOURCE.into(),
        raw,
        obs.started_at,
        obs.ended_at,
        None,
    );
    e.raw_len = json.len() as u64;
    e.raw_sha256 = sha256_hex(json.as_bytes());
    e.truncated = truncated;
    e.raw_deflate = truncated.then(|| deflate_b64(&json));
    e.note = Some(
        "everything the network check observed (scope, every connect, pages read), kept whole for `tenken scan --replay`"
            .into(),
    );
    e
}

/// The observations kept in `bundle`, when it holds a network check's; an error when the
/// record is there but damaged (its text does not match its SHA-256, or is not observations).
pub fn observations_in(bundle: &Bundle) -> Result<Option<Observations>, NetError> {
    let Some(e) = bundle
        .findings
        .iter()
        .flat_map(|f| f.evidence.iter())
        .find(|e| e.source == OBSERVATIONS_SOURCE && e.same_as.is_none())
    else {
        return Ok(None);
    };
    let whole = if e.truncated {
        e.raw_deflate.as_deref().and_then(inflate_b64)
    } else {
        Some(e.raw.clone())
    };
    let whole = whole
        .filter(|w| sha256_hex(w.as_bytes()) == e.raw_sha256)
        .ok_or(NetError::DamagedObservations)?;
    Ok(Some(serde_json::from_str(&whole)?))
}
