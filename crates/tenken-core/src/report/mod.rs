//! The evidence report: report model -> Japanese A4 PDF (and XLSX export of the checklist).
pub mod xlsx;
