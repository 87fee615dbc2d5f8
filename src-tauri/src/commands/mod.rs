//! Tauri commands, one module per screen area. Each command validates its input and is a thin call
//! into `tenken_core` (or, until merged, into the seams in `crate::engine` / `crate::state`).

pub mod answers;
pub mod checklist;
pub mod checklist_import;
pub mod devices;
pub mod evidence;
pub mod history;
pub mod netdevices;
pub mod network;
pub mod profile;
pub mod report;
pub mod scan;
pub mod settings;
pub mod vendor;
