//! Tenken engine: checklists, probes, evidence, assessments, storage, reports and signatures.
//!
//! The engine knows nothing about windows or terminals; the `tenken` CLI and the Tauri app are
//! thin faces over it. Data flows one way: checklist + probe output -> findings -> bundle ->
//! assessment -> report -> signature.
//!
//! Each part is its own crate (see `docs/architecture.md`), so cargo rejects a dependency
//! cycle; this crate holds the use cases that join them ([`workflow`]) behind one API, [`Session`], and re-exports the parts
//! under their old module names (`tenken_core::probe`, `tenken_core::store`, ...).

pub use tenken_assessment as assessment;
pub use tenken_base::i18n;
pub use tenken_base::textfile;
pub use tenken_checklist as checklist;
pub use tenken_compare as compare;
pub use tenken_evidence as evidence;
pub use tenken_kev as kev;
pub use tenken_ledger as ledger;
pub use tenken_net as net;
pub use tenken_probe as probe;
pub use tenken_report as report;
pub use tenken_sign as sign;
pub use tenken_store as store;
pub use tenken_vendor as vendor;

pub mod answers_file;
pub mod readiness;
pub mod session;
pub mod version;
pub mod workflow;

pub use session::{ReportFiles, Session, Which};
pub use tenken_base::{ErrorKind, Kinded, Lang, Text, VERSION};
