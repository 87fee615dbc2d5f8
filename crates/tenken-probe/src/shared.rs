//! What several probes of one scan read in common: a source (the socket table read by
//! `ports.listening` and `net.peers`, the process list read by `remote.tools` and
//! `screen.lock`) is collected once per scan and handed to every probe that plans it, and its
//! evidence is stored once in the bundle (the other records point to it with
//! [`Evidence::same_as`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use tenken_evidence::{Evidence, Finding};

use crate::{Captured, Source};

/// What the probes of one scan share when collecting: the memo of captures (keyed by source)
/// and the cache of slow facts ([`crate::cache`]).
#[derive(Debug, Default)]
pub struct SharedCaptures {
    memo: Mutex<HashMap<Source, Arc<OnceLock<Captured>>>>,
    cache_dir: Option<PathBuf>,
}

impl SharedCaptures {
    /// A fresh memo; slow facts cached in `cache_dir` when given.
    pub fn new(cache_dir: Option<PathBuf>) -> Self {
        Self {
            memo: Mutex::default(),
            cache_dir,
        }
    }

    /// The capture of `source`, collected by `collect` the first time it is asked for in this
    /// scan; later callers (even concurrent ones) get the same capture, so one scan runs each
    /// command once and the probes that share it judge the same observation. A cacheable slow
    /// command goes through the cache.
    pub fn collect(&self, source: &Source, collect: impl FnOnce() -> Captured) -> Captured {
        let cached =
            |collect| crate::cache::collect_cached(self.cache_dir.as_deref(), source, collect);
        let cell = match self.memo.lock() {
            Ok(mut map) => map.entry(source.clone()).or_default().clone(),
            Err(_) => return cached(collect),
        };
        cell.get_or_init(|| cached(collect)).clone()
    }
}

/// Whether two evidence records are the same observation (one collection of one source).
fn same_observation(a: &Evidence, b: &Evidence) -> bool {
    a.kind == b.kind
        && a.source == b.source
        && a.raw_sha256 == b.raw_sha256
        && a.raw_len == b.raw_len
        && a.started_at == b.started_at
        && a.ended_at == b.ended_at
}

/// Keeps the raw output of an observation shared by several findings only in the first of them
/// (findings in bundle order); the later records keep source, hash, times and error but leave
/// `raw` (and its compressed copy) empty and name the finding holding it in `same_as`.
pub fn store_shared_once(findings: &mut [Finding]) {
    let mut seen: Vec<(String, Evidence)> = Vec::new();
    for f in findings.iter_mut() {
        for e in f.evidence.iter_mut() {
            if e.raw.is_empty() || e.same_as.is_some() {
                continue;
            }
            if let Some((holder, _)) = seen.iter().find(|(_, s)| same_observation(s, e)) {
                e.same_as = Some(holder.clone());
                e.raw = String::new();
                e.raw_deflate = None;
                continue;
            }
            let mut key = e.clone();
            key.raw = String::new();
            key.raw_deflate = None;
            seen.push((f.probe_id.clone(), key));
        }
    }
}
