//! One module per subcommand; each has `Args` (clap) and `run`, returning the exit code.

pub mod assessment;
pub mod checklist;
pub mod checklist_source;
pub mod compare;
pub mod countersign;
pub mod data;
pub mod history;
pub mod import;
pub mod key;
pub mod ledger;
pub mod netargs;
pub mod profile;
pub mod readiness;
pub mod report;
pub mod scan;
pub mod vendor;
pub mod verify;
