//! Test support for Tenken's engine crates: the synthesised [`sample`] checklist, assessment
//! and bundles. Used as a dev-dependency (and by the CLI's hidden `report --sample`); never
//! part of the engine's public API.

pub mod sample;
pub mod workbooks;
