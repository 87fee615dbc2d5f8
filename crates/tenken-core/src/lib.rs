//! Tenken engine: checklists, probes, evidence, assessments, storage, reports and signatures.
//!
//! The engine knows nothing about windows or terminals; the `tenken` CLI and the Tauri app are
//! thin faces over it. Data flows one way: checklist + probe output -> findings -> bundle ->
//! assessment -> report -> signature.

pub mod assessment;
pub mod checklist;
pub mod compare;
pub mod evidence;
pub mod i18n;
pub mod ledger;
pub mod net;
pub mod probe;
pub mod report;
pub mod sign;
pub mod store;
pub mod vendor;
pub mod workflow;

pub use i18n::{Lang, Text};

/// Version of the engine, recorded in every bundle and report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
