//! The few things every Tenken crate shares: the user's language and bilingual text
//! ([`Lang`], [`Text`]), the checklist [`Sheet`] an assessment answers, the product [`VERSION`] and where this installation keeps its data
//! ([`paths`]). Nothing here depends on another Tenken crate.

pub mod error;
pub mod i18n;
pub mod paths;
pub mod sheet;
pub mod textfile;

pub use error::{ErrorKind, Kinded, io_plain};
pub use i18n::{Lang, Text};
pub use sheet::Sheet;

/// Version of Tenken, recorded in every bundle and report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
