//! Tauri build script: generates the context (config, capabilities, icons) and the permission
//! manifest for the app's own commands (each command needs an explicit `allow-*` permission).

const COMMANDS: &[&str] = &[
    "list_checklists",
    "get_checklist",
    "preview_move_version",
    "move_to_version",
    "preview_checklist_import",
    "import_checklist",
    "get_profile",
    "save_profile",
    "get_answers",
    "save_answer",
    "hash_attachment",
    "attach_file",
    "item_evidence",
    "scan_results",
    "start_scan",
    "cancel_task",
    "network_plan",
    "start_network_check",
    "list_devices",
    "import_bundle",
    "fleet_overview",
    "set_host_role",
    "list_network_devices",
    "save_device",
    "remove_device",
    "kev_status",
    "install_kev",
    "vendor_overview",
    "export_vendor_request",
    "import_vendor_answers",
    "trust_vendor_and_import",
    "get_vendor_sheet",
    "save_vendor_answer",
    "generate_report",
    "readiness_review",
    "verify_report",
    "verify_stored_report",
    "report_folder",
    "set_report_folder",
    "list_reports",
    "open_report",
    "open_report_folder",
    "history",
    "compare_years",
    "get_settings",
    "save_settings",
    "data_location",
    "certificate_info",
    "generate_certificate",
    "import_certificate",
];

fn main() {
    let attrs = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attrs) {
        println!("cargo:warning=tauri build failed: {e:#}");
        std::process::exit(1);
    }
}
