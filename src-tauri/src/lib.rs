//! Tenken (点検) desktop app: a Tauri 2 shell over `tenken_core`. The UI lives in `ui/`.

pub mod commands;
pub mod consent;
pub mod dto;
pub mod dto_evidence;
pub mod dto_history;
pub mod dto_import;
pub mod dto_report;
pub mod dto_settings;
pub mod dto_vendor;
mod engine;
pub mod paths;
pub mod state;
pub mod validate;

use tauri::Manager;

/// Every command the UI may call (also listed in `build.rs` for the permission manifest).
macro_rules! app_commands {
    () => {
        tauri::generate_handler![
            commands::checklist::list_checklists,
            commands::checklist::get_checklist,
            commands::checklist::preview_move_version,
            commands::checklist::move_to_version,
            commands::checklist_import::preview_checklist_import,
            commands::checklist_import::import_checklist,
            commands::profile::get_profile,
            commands::profile::save_profile,
            commands::answers::get_answers,
            commands::answers::save_answer,
            commands::answers::hash_attachment,
            commands::answers::attach_file,
            commands::evidence::item_evidence,
            commands::evidence::scan_results,
            commands::scan::start_scan,
            commands::scan::cancel_task,
            commands::network::network_plan,
            commands::network::start_network_check,
            commands::devices::list_devices,
            commands::devices::import_bundle,
            commands::devices::fleet_overview,
            commands::devices::set_host_role,
            commands::netdevices::list_network_devices,
            commands::netdevices::save_device,
            commands::netdevices::remove_device,
            commands::netdevices::kev_status,
            commands::netdevices::install_kev,
            commands::vendor::vendor_overview,
            commands::vendor::export_vendor_request,
            commands::vendor::import_vendor_answers,
            commands::vendor::trust_vendor_and_import,
            commands::vendor::get_vendor_sheet,
            commands::vendor::save_vendor_answer,
            commands::report::generate_report,
            commands::report::readiness_review,
            commands::report::verify_report,
            commands::report::verify_stored_report,
            commands::report::report_folder,
            commands::report::set_report_folder,
            commands::report::list_reports,
            commands::report::open_report,
            commands::report::open_report_folder,
            commands::history::history,
            commands::history::compare_years,
            commands::settings::get_settings,
            commands::settings::save_settings,
            commands::settings::data_location,
            commands::settings::certificate_info,
            commands::settings::generate_certificate,
            commands::settings::import_certificate,
        ]
    };
}

/// Starts the app. The data directory is the one the `tenken` CLI uses on this PC
/// (`tenken_core::store::default_data_dir`), so both see the same assessment, answers, evidence and
/// signing key; `TENKEN_DATA_DIR` overrides it (used by the GUI tests).
pub fn run() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        // No fs command is granted to the page (see capabilities): the plugin only keeps the scope
        // of paths the person picked in a dialog or dropped on the window, which `paths` checks.
        .plugin(tauri_plugin_fs::init())
        .manage(commands::scan::Tasks::default())
        .manage(consent::Consents::default())
        .setup(|app| {
            let over = std::env::var_os("TENKEN_DATA_DIR").map(std::path::PathBuf::from);
            let dir = tenken_core::store::data_dir(over.as_deref());
            let state = state::AppState::open(&dir).map_err(|e| e.to_string())?;
            app.manage(state);
            Ok(())
        })
        .invoke_handler(app_commands!())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Tenken を起動できませんでした (could not start): {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod bindings {
    //! The TypeScript bindings in `ui/src/lib/bindings/` must match the Rust types.
    //! Regenerate with `TENKEN_UPDATE_BINDINGS=1 cargo test -p tenken-app bindings`.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::path::{Path, PathBuf};

    use ts_rs::TS;

    use crate::dto::*;

    fn export(dir: &Path) {
        ChecklistSummary::export_all_to(dir).unwrap();
        ChecklistView::export_all_to(dir).unwrap();
        crate::dto::MoveVersionDto::export_all_to(dir).unwrap();
        ProfileDto::export_all_to(dir).unwrap();
        AnswerDto::export_all_to(dir).unwrap();
        SettingsDto::export_all_to(dir).unwrap();
        DataLocation::export_all_to(dir).unwrap();
        ProgressEvent::export_all_to(dir).unwrap();
        CommandError::export_all_to(dir).unwrap();
        crate::dto_report::ReportFolder::export_all_to(dir).unwrap();
        crate::dto_report::ReportEntry::export_all_to(dir).unwrap();
        crate::dto_report::VerifyResultDto::export_all_to(dir).unwrap();
        crate::dto_report::ReadinessDto::export_all_to(dir).unwrap();
        crate::dto_settings::CertificateDto::export_all_to(dir).unwrap();
        crate::dto_evidence::ItemEvidenceDto::export_all_to(dir).unwrap();
        crate::dto_evidence::CheckerDto::export_all_to(dir).unwrap();
        crate::dto_evidence::ScanResultsDto::export_all_to(dir).unwrap();
        crate::dto_evidence::NetworkOutcomeDto::export_all_to(dir).unwrap();
        crate::dto_evidence::DeviceRowDto::export_all_to(dir).unwrap();
        crate::dto_evidence::FleetOverviewDto::export_all_to(dir).unwrap();
        crate::dto_evidence::ImportResultDto::export_all_to(dir).unwrap();
        crate::dto_evidence::NetDeviceDto::export_all_to(dir).unwrap();
        crate::dto_evidence::DeviceInputDto::export_all_to(dir).unwrap();
        crate::dto_evidence::KevInfoDto::export_all_to(dir).unwrap();
        crate::dto_evidence::NetworkPlanDto::export_all_to(dir).unwrap();
        crate::dto_history::HistoryDto::export_all_to(dir).unwrap();
        crate::dto_history::ComparisonDto::export_all_to(dir).unwrap();
        crate::dto_vendor::VendorOverviewDto::export_all_to(dir).unwrap();
        crate::dto_vendor::RequestWrittenDto::export_all_to(dir).unwrap();
        crate::dto_vendor::VendorImportDto::export_all_to(dir).unwrap();
        crate::dto_vendor::VendorSheetDto::export_all_to(dir).unwrap();
        crate::dto_import::ChecklistImportDto::export_all_to(dir).unwrap();
    }

    fn files(dir: &Path) -> Vec<(String, String)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn bindings_are_up_to_date() {
        let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings");
        if std::env::var_os("TENKEN_UPDATE_BINDINGS").is_some() {
            let _ = std::fs::remove_dir_all(&committed);
            std::fs::create_dir_all(&committed).unwrap();
            export(&committed);
        }
        let tmp = tempfile::tempdir().unwrap();
        export(tmp.path());
        assert_eq!(
            files(tmp.path()),
            files(&committed),
            "ui/src/lib/bindings is stale: run TENKEN_UPDATE_BINDINGS=1 cargo test -p tenken-app bindings"
        );
    }
}

#[cfg(test)]
mod security_config {
    //! Guards on the security configuration: strict CSP without remote sources, least-privilege
    //! capabilities (no shell, no generic file system), every command behind an explicit permission.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    fn json(path: &str) -> serde_json::Value {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    }

    #[test]
    fn csp_is_strict_and_local() {
        let conf = json("tauri.conf.json");
        let csp = conf["app"]["security"]["csp"].as_object().unwrap();
        assert_eq!(csp["default-src"], "'self'");
        assert_eq!(csp["style-src"], "'self'");
        assert_eq!(csp["script-src"], "'self'");
        for (k, v) in csp {
            let v = v.as_str().unwrap();
            assert!(!v.contains("unsafe-"), "{k} allows unsafe: {v}");
            assert!(
                !v.contains("https:") && !v.contains('*'),
                "{k} allows remote: {v}"
            );
            for token in v.split_whitespace() {
                if let Some(host) = token.strip_prefix("http://") {
                    assert_eq!(host, "ipc.localhost", "{k} allows a remote host");
                }
            }
        }
        assert_eq!(conf["app"]["withGlobalTauri"], false);
    }

    #[test]
    fn capabilities_are_least_privilege() {
        let cap = json("capabilities/main-window.json");
        let perms: Vec<&str> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        for p in &perms {
            assert!(
                !p.starts_with("shell:") && !p.starts_with("fs:") && !p.ends_with(":default"),
                "too broad: {p}"
            );
        }
        assert!(perms.contains(&"allow-app-commands"));
        let set = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("permissions/app.toml"),
        )
        .unwrap();
        let build = include_str!("../build.rs");
        let n = build
            .lines()
            .filter(|l| l.trim_start().starts_with("\""))
            .count();
        assert_eq!(
            set.matches("  \"allow-").count(),
            n,
            "permission set and COMMANDS differ"
        );
        // Every command the app registers has its permission: a command missing from COMMANDS
        // is refused by the ACL in the real app (the mock screen tests do not see that).
        let lib = include_str!("lib.rs");
        let handler = lib
            .split("generate_handler![")
            .nth(1)
            .and_then(|s| s.split(']').next())
            .unwrap();
        let registered: std::collections::BTreeSet<&str> = handler
            .split(',')
            .filter_map(|c| c.trim().rsplit("::").next())
            .filter(|c| !c.is_empty())
            .collect();
        let listed: std::collections::BTreeSet<&str> = build
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
            .collect();
        assert_eq!(
            registered, listed,
            "registered commands and COMMANDS differ"
        );
        for c in &registered {
            let allow = format!("\"allow-{}\"", c.replace('_', "-"));
            assert!(
                set.contains(&allow),
                "{allow} missing from permissions/app.toml"
            );
        }
    }
}
