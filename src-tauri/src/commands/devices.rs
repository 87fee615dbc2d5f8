//! Devices ledger and imported evidence bundles (file picker or drag-and-drop), each file with a
//! plain result: imported with a trusted signature, refused as untrusted, or refused as invalid.

use tauri::{AppHandle, Manager};
use tenken_core::ledger::import::ImportError;
use tenken_core::store::BundleTrust;

use crate::commands::scan::state_of;
use crate::dto::{CmdResult, CommandError, TextDto};
use crate::dto_evidence::{
    DeviceRowDto, FleetOverviewDto, ImportResultDto, RoleCountDto, StalePcDto, TopProblemDto,
};
use crate::state::AppState;

fn trust_str(t: BundleTrust) -> &'static str {
    match t {
        BundleTrust::Verified => "verified",
        BundleTrust::Unverified => "unverified",
        BundleTrust::Unchecked => "unchecked",
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The device ledger of this fiscal year's assessment: scanned hosts, then devices entered by hand.
pub fn device_rows(state: &AppState) -> CmdResult<Vec<DeviceRowDto>> {
    let a = crate::engine::current_assessment(state)?;
    let store = state.store()?;
    let ledger = tenken_core::ledger::build(&store, a.id).map_err(CommandError::of)?;
    let lang = crate::commands::report::lang(state);
    let mut rows: Vec<DeviceRowDto> = ledger
        .hosts
        .iter()
        .map(|h| DeviceRowDto {
            host: h.host.clone(),
            source: "scanned".into(),
            os: match &h.os_build {
                Some(b) if !b.is_empty() => format!("{} ({b})", h.os),
                _ => h.os.clone(),
            },
            ips: h.display_ips(),
            role: h.role.clone().filter(|r| !r.trim().is_empty()),
            last_update: h.last_patch_display(lang),
            antivirus: h
                .antivirus
                .as_ref()
                .map(|c| state_of(c.verdict).to_string()),
            firewall: h.firewall.as_ref().map(|c| state_of(c.verdict).to_string()),
            risky_ports: h.risky_ports.clone(),
            last_seen: Some(h.scanned_at.to_rfc3339()),
            signature: trust_str(h.trust).into(),
            signer: h.signer.clone(),
            fails: count(h.fails),
            unknowns: count(h.unknowns),
        })
        .collect();
    rows.extend(ledger.devices.iter().map(|d| {
        DeviceRowDto {
            host: d.name.clone(),
            source: "manual".into(),
            os: [d.model.as_str(), d.firmware.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
            ips: Vec::new(),
            role: Some(d.kind.clone()),
            last_update: None,
            antivirus: None,
            firewall: None,
            risky_ports: None,
            last_seen: None,
            signature: "manual".into(),
            signer: None,
            fails: 0,
            unknowns: 0,
        }
    }));
    Ok(rows)
}

/// The fleet overview of this fiscal year's assessment.
pub fn overview(state: &AppState) -> CmdResult<FleetOverviewDto> {
    let a = crate::engine::current_assessment(state)?;
    let store = state.store()?;
    let ledger = tenken_core::ledger::build(&store, a.id).map_err(CommandError::of)?;
    let s = &ledger.summary;
    Ok(FleetOverviewDto {
        pcs: count(ledger.hosts.len()),
        stale_days: u32::try_from(tenken_core::ledger::summary::STALE_DAYS).unwrap_or(30),
        roles: s
            .roles
            .iter()
            .map(|r| RoleCountDto {
                role: r.role.clone(),
                hosts: count(r.hosts),
                with_fail: count(r.with_fail),
                with_unknown: count(r.with_unknown),
                stale: count(r.stale),
            })
            .collect(),
        stale: s
            .stale
            .iter()
            .map(|(host, at)| StalePcDto {
                host: host.clone(),
                last_seen: at.to_rfc3339(),
            })
            .collect(),
        top: s
            .top
            .iter()
            .map(|t| TopProblemDto {
                title: (&t.title).into(),
                verdict: state_of(t.verdict).into(),
                hosts: count(t.hosts),
                examples: t.examples.clone(),
            })
            .collect(),
        suggested_roles: tenken_core::ledger::SUGGESTED_ROLES
            .iter()
            .map(|r| r.to_string())
            .collect(),
    })
}

/// Longest role name accepted (a role is a short label such as 電子カルテサーバ).
const ROLE_MAX_CHARS: usize = 40;

/// Sets (or, with an empty role, clears) the role of a scanned PC; returns the device rows.
pub fn set_role(state: &AppState, host: &str, role: &str) -> CmdResult<Vec<DeviceRowDto>> {
    let role = role.trim();
    if role.chars().count() > ROLE_MAX_CHARS || role.chars().any(char::is_control) {
        return Err(CommandError::invalid(
            format!("役割は改行を含まない{ROLE_MAX_CHARS}文字以内で入力してください"),
            format!("a role is at most {ROLE_MAX_CHARS} characters on one line"),
        ));
    }
    let known = device_rows(state)?
        .iter()
        .any(|r| r.source == "scanned" && r.host == host);
    if !known {
        return Err(CommandError::invalid(
            format!("{host} はこの年度の点検結果にありません"),
            format!("{host} has no check result this fiscal year"),
        ));
    }
    state
        .store()?
        .set_host_role(host, role)
        .map_err(CommandError::of)?;
    device_rows(state)
}

/// The fleet overview (PCs per role, not checked for weeks, the most common problems).
#[tauri::command]
pub async fn fleet_overview(app: tauri::AppHandle) -> CmdResult<FleetOverviewDto> {
    crate::engine::off_main(app, move |_app, state| overview(state)).await
}

/// Sets the role of a PC (受付PC, 電子カルテサーバ…); an empty role clears it.
#[tauri::command]
pub async fn set_host_role(
    app: tauri::AppHandle,
    host: String,
    role: String,
) -> CmdResult<Vec<DeviceRowDto>> {
    crate::engine::off_main(app, move |_app, state| set_role(state, &host, &role)).await
}

/// The device ledger of this fiscal year's assessment.
#[tauri::command]
pub async fn list_devices(app: tauri::AppHandle) -> CmdResult<Vec<DeviceRowDto>> {
    crate::engine::off_main(app, move |_app, state| device_rows(state)).await
}

/// Imports one file and says plainly what happened (never an error for a refused file: the
/// refusal is the result).
pub fn import_one(state: &AppState, path: &std::path::Path) -> CmdResult<ImportResultDto> {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let a = crate::engine::current_assessment(state)?;
    let r = state.session()?.import_bundle(a.id, path, false);
    result_of(file, r)
}

/// Imports every bundle in folder `dir` (newest per PC; bad files listed with their reason and
/// never imported; a re-run changes nothing), one result per file.
pub fn import_folder(state: &AppState, dir: &std::path::Path) -> CmdResult<Vec<ImportResultDto>> {
    let a = crate::engine::current_assessment(state)?;
    let r = state
        .session()?
        .import_folder(a.id, dir, false, &mut |_, _| {})
        .map_err(CommandError::of)?;
    let name = |p: &std::path::Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string())
    };
    let mut out = Vec::new();
    for (p, imp) in r.imported {
        out.push(result_of(name(&p), Ok(imp))?);
    }
    for (p, imp) in r.unchanged {
        out.push(ImportResultDto {
            file: name(&p),
            status: "unchanged".into(),
            host: Some(imp.host.clone()),
            signer: imp.signer.clone(),
            message: TextDto {
                ja: format!("{} の結果はすでに取り込み済みです（変更なし）", imp.host),
                en: format!(
                    "The results of {} were already imported (no change)",
                    imp.host
                ),
            },
        });
    }
    for (p, host) in r.older {
        out.push(ImportResultDto {
            file: name(&p),
            status: "older".into(),
            host: Some(host.clone()),
            signer: None,
            message: TextDto {
                ja: format!(
                    "{host} のより新しい結果があるため、この古い結果は取り込みませんでした"
                ),
                en: format!("A newer result of {host} is kept, so this older one was not imported"),
            },
        });
    }
    for (p, e) in r.refused {
        out.push(result_of(name(&p), Err(e))?);
    }
    Ok(out)
}

/// What happened to one file, in plain words.
fn result_of(
    file: String,
    r: Result<tenken_core::ledger::import::Imported, ImportError>,
) -> CmdResult<ImportResultDto> {
    Ok(match r {
        Ok(imp) => ImportResultDto {
            file,
            status: "verified".into(),
            host: Some(imp.host.clone()),
            signer: imp.signer.clone(),
            message: TextDto {
                ja: format!(
                    "{} の結果を取り込みました（署名: {}、確認済み）",
                    imp.host,
                    imp.signer.as_deref().unwrap_or("不明")
                ),
                en: format!(
                    "Imported the results of {} (signed by {}, verified)",
                    imp.host,
                    imp.signer.as_deref().unwrap_or("unknown")
                ),
            },
        },
        Err(ImportError::Untrusted { signer, .. }) => ImportResultDto {
            file,
            status: "untrusted".into(),
            host: None,
            signer: Some(signer.clone()),
            message: TextDto {
                ja: format!(
                    "取り込みませんでした: 署名した人（{signer}）はまだ信頼されていません。「設定」で相手の証明書を確認して登録してから、もう一度取り込んでください。"
                ),
                en: format!(
                    "Not imported: the signer ({signer}) is not trusted yet. Check and add their certificate in Settings, then import again."
                ),
            },
        },
        Err(ImportError::Store(e)) => return Err(CommandError::of(e)),
        Err(e) => {
            let (ja, en) = match &e {
                ImportError::Unsigned { .. } => (
                    "取り込みませんでした: 署名がないため、書き換えられていないことを確かめられません。".to_string(),
                    "Not imported: it has no signature, so it cannot be shown to be unchanged.".to_string(),
                ),
                ImportError::Tampered { .. } => (
                    "取り込みませんでした: 署名の後に内容が書き換えられています（改ざんの可能性）。".to_string(),
                    "Not imported: the contents were changed after signing (possible tampering).".to_string(),
                ),
                ImportError::BadSignature { .. } => (
                    "取り込みませんでした: 署名ファイル（.p7s）が壊れているか、正しい署名ではありません。内容が書き換えられたとは限りません。そのPCでもう一度書き出してください。".to_string(),
                    "Not imported: the signature file (.p7s) is damaged or not a valid signature. The contents were not necessarily changed; export it again on that PC.".to_string(),
                ),
                _ => (
                    format!("取り込みませんでした: Tenken の結果ファイルではないか、読めません（{e}）"),
                    format!("Not imported: not a Tenken results file, or unreadable ({e})"),
                ),
            };
            ImportResultDto {
                file,
                status: "invalid".into(),
                host: None,
                signer: None,
                message: TextDto { ja, en },
            }
        }
    })
}

/// Imports an evidence bundle collected on another PC, or every bundle in a folder (file or
/// folder picker, or drag-drop); each signature must verify against this installation's key or a
/// trusted certificate. Returns what happened to each file.
#[tauri::command]
pub async fn import_bundle(app: AppHandle, path: String) -> CmdResult<Vec<ImportResultDto>> {
    let p = crate::paths::chosen(&app, &path)?;
    tokio::task::spawn_blocking(move || {
        let state = app.state::<AppState>();
        if p.is_dir() {
            import_folder(&state, &p)
        } else {
            import_one(&state, &p).map(|r| vec![r])
        }
    })
    .await
    .map_err(CommandError::internal)?
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use tenken_core::sign::bundle::{detached_path, sign_bundle};
    use tenken_core::sign::keystore::KeyStore;

    #[test]
    fn import_results_say_verified_untrusted_or_invalid() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let files = tempfile::tempdir().unwrap();
        let bundle = tenken_testkit::sample::bundles().remove(1);
        let json = serde_json::to_string_pretty(&bundle).unwrap();

        // Signed by this installation's own key: verified.
        let own = files.path().join("own.tenken.json");
        std::fs::write(&own, &json).unwrap();
        let signer = KeyStore::open(state.dir()).signer("さくら").unwrap();
        let s = sign_bundle(&bundle, signer.as_ref()).unwrap();
        std::fs::write(detached_path(&own), &s.signature).unwrap();
        let r = import_one(&state, &own).unwrap();
        assert_eq!(r.status, "verified", "{}", r.message.ja);
        assert_eq!(r.host.as_deref(), Some(bundle.host.hostname.as_str()));

        // Signed by another (USB stick) key that is not trusted: refused as untrusted.
        let other = tempfile::tempdir().unwrap();
        let usb = files.path().join("usb.tenken.json");
        std::fs::write(&usb, &json).unwrap();
        let signer = KeyStore::open(other.path()).signer("USB").unwrap();
        let s = sign_bundle(&bundle, signer.as_ref()).unwrap();
        std::fs::write(detached_path(&usb), &s.signature).unwrap();
        let r = import_one(&state, &usb).unwrap();
        assert_eq!(r.status, "untrusted", "{}", r.message.ja);
        assert!(r.message.ja.contains("信頼"));

        // Changed after signing: invalid.
        let tampered = files.path().join("bad.tenken.json");
        std::fs::write(&tampered, json.replace(&bundle.host.hostname, "EVIL-PC")).unwrap();
        std::fs::copy(detached_path(&own), detached_path(&tampered)).unwrap();
        let r = import_one(&state, &tampered).unwrap();
        assert_eq!(r.status, "invalid");
        assert!(r.message.ja.contains("改ざん"), "{}", r.message.ja);

        // Unsigned and not-a-bundle: invalid.
        let plain = files.path().join("plain.json");
        std::fs::write(&plain, &json).unwrap();
        assert_eq!(import_one(&state, &plain).unwrap().status, "invalid");
        let junk = files.path().join("junk.json");
        std::fs::write(&junk, b"hello").unwrap();
        assert_eq!(import_one(&state, &junk).unwrap().status, "invalid");

        // Only the verified one is in the ledger.
        let rows = device_rows(&state).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].host, bundle.host.hostname);
        assert_eq!(rows[0].signature, "verified");
        assert!(rows[0].last_seen.is_some());
        // 最終更新 as a date people read (the bundle records an RFC 3339 time).
        let update = rows[0].last_update.as_deref().unwrap();
        assert_eq!(update.len(), 10, "{update}");
        assert!(
            chrono::NaiveDate::parse_from_str(update, "%Y-%m-%d").is_ok(),
            "{update}"
        );
    }

    /// Signed by this installation and imported, as a PC's bundle arrives.
    fn import_signed(
        state: &AppState,
        dir: &std::path::Path,
        bundle: &tenken_core::evidence::Bundle,
    ) {
        let path = dir.join(format!("{}.tenken.json", bundle.host.hostname));
        std::fs::write(&path, serde_json::to_string_pretty(bundle).unwrap()).unwrap();
        let signer = KeyStore::open(state.dir()).signer("さくら").unwrap();
        let s = sign_bundle(bundle, signer.as_ref()).unwrap();
        std::fs::write(detached_path(&path), &s.signature).unwrap();
        assert_eq!(import_one(state, &path).unwrap().status, "verified");
    }

    #[test]
    fn pcs_get_roles_and_the_overview_counts_them() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let files = tempfile::tempdir().unwrap();
        let sample = tenken_testkit::sample::bundles().remove(1);
        let fails = sample
            .findings
            .iter()
            .filter(|f| f.verdict == tenken_core::evidence::Verdict::Fail)
            .count();
        assert!(fails > 0, "the sample PC has a 不適合");
        for name in ["UKETSUKE-PC1", "UKETSUKE-PC2", "SHINSATSU-PC1"] {
            let mut b = sample.clone();
            b.host.hostname = name.into();
            import_signed(&state, files.path(), &b);
        }
        let rows = device_rows(&state).unwrap();
        assert_eq!(rows.len(), 3);
        assert!(
            rows.iter()
                .all(|r| r.fails as usize == fails && r.role.is_none())
        );

        set_role(&state, "UKETSUKE-PC1", " 受付PC ").unwrap();
        let rows = set_role(&state, "UKETSUKE-PC2", "受付PC").unwrap();
        let role = |h: &str| rows.iter().find(|r| r.host == h).unwrap().role.clone();
        assert_eq!(role("UKETSUKE-PC1").as_deref(), Some("受付PC"), "trimmed");
        let o = overview(&state).unwrap();
        assert_eq!(o.pcs, 3);
        assert_eq!(o.roles[0].role, "受付PC");
        assert_eq!((o.roles[0].hosts, o.roles[0].with_fail), (2, 2));
        assert_eq!(o.roles.last().unwrap().role, "", "not set comes last");
        assert!(o.top.iter().any(|t| t.verdict == "fail" && t.hosts == 3));

        // Cleared with an empty role; refused for an unknown PC or a paragraph, nothing changed.
        let rows = set_role(&state, "UKETSUKE-PC2", "").unwrap();
        assert!(
            rows.iter()
                .find(|r| r.host == "UKETSUKE-PC2")
                .unwrap()
                .role
                .is_none()
        );
        let e = set_role(&state, "NOT-HERE", "受付PC").unwrap_err();
        assert!(e.ja.contains("NOT-HERE"), "{}", e.ja);
        assert!(set_role(&state, "UKETSUKE-PC1", "受付\nPC").is_err());
        assert!(set_role(&state, "UKETSUKE-PC1", &"長".repeat(41)).is_err());
        let rows = device_rows(&state).unwrap();
        assert_eq!(
            rows.iter()
                .find(|r| r.host == "UKETSUKE-PC1")
                .unwrap()
                .role
                .as_deref(),
            Some("受付PC")
        );
    }

    /// A folder collected from many PCs imports in one step: newest per PC, an older check left
    /// out, a changed file refused with its reason; a second run changes nothing.
    #[test]
    fn a_folder_of_bundles_imports_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let folder = tempfile::tempdir().unwrap();
        let signer = KeyStore::open(state.dir()).signer("さくら").unwrap();
        let sample = tenken_testkit::sample::bundles().remove(1);
        let write = |name: &str, b: &tenken_core::evidence::Bundle| {
            let path = folder.path().join(format!("{name}.tenken.json"));
            std::fs::write(&path, serde_json::to_string_pretty(b).unwrap()).unwrap();
            let s = sign_bundle(b, signer.as_ref()).unwrap();
            std::fs::write(detached_path(&path), &s.signature).unwrap();
            path
        };
        for host in ["PC-A", "PC-B"] {
            let mut b = sample.clone();
            b.host.hostname = host.into();
            write(host, &b);
        }
        let mut old = sample.clone();
        old.host.hostname = "PC-A".into();
        old.ended_at -= chrono::Duration::days(30);
        write("PC-A-old", &old);
        let mut c = sample.clone();
        c.host.hostname = "PC-C".into();
        let changed = write("PC-C", &c);
        let text = std::fs::read_to_string(&changed)
            .unwrap()
            .replace("PC-C", "PC-X");
        std::fs::write(&changed, text).unwrap();

        let status = |rs: &[ImportResultDto], file: &str| {
            rs.iter()
                .find(|r| r.file == file)
                .map(|r| r.status.clone())
                .unwrap()
        };
        let rs = import_folder(&state, folder.path()).unwrap();
        assert_eq!(rs.len(), 4, "{rs:?}");
        assert_eq!(status(&rs, "PC-A.tenken.json"), "verified");
        assert_eq!(status(&rs, "PC-B.tenken.json"), "verified");
        assert_eq!(status(&rs, "PC-A-old.tenken.json"), "older");
        assert_eq!(status(&rs, "PC-C.tenken.json"), "invalid");
        let rows = device_rows(&state).unwrap();
        assert_eq!(rows.len(), 2);
        let again = import_folder(&state, folder.path()).unwrap();
        assert_eq!(status(&again, "PC-A.tenken.json"), "unchanged");
        assert_eq!(device_rows(&state).unwrap().len(), 2);
    }
}
