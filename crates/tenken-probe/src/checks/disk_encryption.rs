//! `disk.encryption`: whether the system drive is encrypted (BitLocker, FileVault, LUKS).
//!
//! Windows tiers: `Get-BitLockerVolume` (admin), the shell property
//! `System.Volume.BitLockerProtection` (standard user), then `manage-bde -status` text
//! (admin, localized; CP932 on Japanese Windows). Encrypted and protected = pass; encrypting
//! = warn; off or suspended = fail; not readable = unknown.

use std::time::Duration;

use serde_json::{Value, json};

use super::kit::{Outcome, as_i64, as_str, cmd, host_probe, lines, ps, ps_doc, section, text, unk};
use crate::parse::as_list;
use crate::{Captured, EvalContext, Os, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::UnknownReason;

host_probe!(
    DiskEncryption,
    "Probe `disk.encryption`: system drive encryption."
);

fn meta() -> ProbeMeta {
    ProbeMeta {
        id: "disk.encryption",
        title: Text::new("ディスクの暗号化", "Disk encryption"),
        reads: vec![
            (
                Os::Windows,
                "Get-BitLockerVolume (admin), shell BitLockerProtection, manage-bde -status",
            ),
            (Os::Macos, "fdesetup status"),
            (Os::Linux, "lsblk -J -o NAME,TYPE,FSTYPE,MOUNTPOINT"),
        ],
        needs_elevation: false,
        timeout: Duration::from_secs(45),
        checklist_refs: super::registry_refs("disk.encryption"),
    }
}

fn plan(os: Os) -> Vec<Source> {
    match os {
        Os::Windows => vec![
            ps(
                "ps",
                r"$out.systemDrive=$env:SystemDrive;$out.bitlocker=Try-Probe{,@(Get-BitLockerVolume|ForEach-Object{[ordered]@{MountPoint=$_.MountPoint;VolumeType=[string]$_.VolumeType;VolumeStatus=[string]$_.VolumeStatus;ProtectionStatus=[string]$_.ProtectionStatus;EncryptionPercentage=[double]$_.EncryptionPercentage;EncryptionMethod=[string]$_.EncryptionMethod}})};$out.bitlockerShell=Try-Probe{$sh=New-Object -ComObject Shell.Application;,@(Get-CimInstance Win32_LogicalDisk -Filter 'DriveType=3' -OperationTimeoutSec 20|ForEach-Object{$d=$_.DeviceID;[ordered]@{Drive=$d;BitLockerProtection=$sh.NameSpace($d+'\').Self.ExtendedProperty('System.Volume.BitLockerProtection')}})}",
            ),
            cmd(
                "manage_bde",
                r"C:\Windows\System32\manage-bde.exe",
                &["-status", "C:"],
            ),
        ],
        Os::Macos => vec![cmd("fdesetup", "fdesetup", &["status"])],
        Os::Linux => vec![cmd(
            "lsblk",
            "lsblk",
            &["-J", "-o", "NAME,TYPE,FSTYPE,MOUNTPOINT"],
        )],
    }
}

fn on(drive: &str, how: &str) -> Outcome {
    Outcome::pass(
        &format!("システムドライブ（{drive}）は暗号化され、保護されています。"),
        &format!("The system drive ({drive}) is encrypted and protected ({how})."),
    )
}

fn off(drive: &str, os: Os) -> Outcome {
    let (ja, en) = match os {
        Os::Windows => (
            "BitLocker を有効にし、回復キーを安全な場所に保管してください（Home版は「デバイスの暗号化」）。",
            "Turn on BitLocker (Device Encryption on Home editions) and keep the recovery key somewhere safe.",
        ),
        Os::Macos => (
            "「システム設定」→「プライバシーとセキュリティ」で FileVault をオンにし、復旧キーを安全な場所に保管してください。",
            "Turn on FileVault in System Settings > Privacy & Security and keep the recovery key somewhere safe.",
        ),
        Os::Linux => (
            "ディスクの暗号化（LUKS）は、ふつう OS のインストール時に設定します。入れ直しやデータ移行が必要なため、保守業者に相談してください。",
            "Disk encryption (LUKS) is normally set up when the OS is installed; it needs a reinstall or migration, so ask your vendor.",
        ),
    };
    Outcome::fail(
        &format!("システムドライブ（{drive}）が暗号化されていません。盗難時に患者情報が読まれるおそれがあります。"),
        &format!("The system drive ({drive}) is not encrypted."),
    )
    .act(ja, en)
}

fn evaluate(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    match ctx.os {
        Os::Windows => windows(caps),
        Os::Macos => macos(caps),
        Os::Linux => linux(caps),
    }
}

/// One volume of the script's `bitlocker` array from one record of `Get-BitLockerVolume`
/// printed by PowerShell (list or table); `None` without `MountPoint` and `VolumeStatus`.
fn bitlocker_volume(r: &[(String, String)]) -> Option<Value> {
    let get = |k: &str| crate::parse::kv_get(r, k).filter(|v| !v.is_empty());
    let mount = get("MountPoint")?;
    let status = get("VolumeStatus")?;
    let string = |k: &str| get(k).map_or(Value::Null, |v| Value::String(v.to_string()));
    // [double] in the script; the text may use a decimal comma (e.g. de-DE, or a comma-decimal
    // format on an English UI).
    let pct = get("EncryptionPercentage")
        .and_then(|v| v.replace(',', ".").parse::<f64>().ok())
        .map_or(Value::Null, Value::from);
    Some(json!({
        "MountPoint": mount,
        "VolumeType": string("VolumeType"),
        "VolumeStatus": status,
        "ProtectionStatus": string("ProtectionStatus"),
        "EncryptionPercentage": pct,
        "EncryptionMethod": string("EncryptionMethod"),
    }))
}

/// The `bitlocker` array of the probe script, built from `Get-BitLockerVolume | Format-List`
/// as an administrator copies it, so that a pasted output is judged like the script's own.
/// Same keys as the script's `[ordered]@{...}`; a property not in the text is `null`. `None`
/// when no record has `MountPoint` and `VolumeStatus`.
pub fn bitlocker_from_list(text: &str) -> Option<Value> {
    bitlocker_from_records(&crate::parse::ps_format_list(text))
}

/// Same as [`bitlocker_from_list`] for the cmdlet's default table view (two-line headers
/// `Mount`/`Point`, `Encryption`/`Percentage`, `Protection`/`Status`). The table has no
/// `EncryptionMethod` column (`null`), and long cells are cut by PowerShell with `...` (only
/// `KeyProtector` in practice, which the probe does not read).
pub fn bitlocker_from_table(text: &str) -> Option<Value> {
    bitlocker_from_records(&crate::parse::ps_format_table(text))
}

fn bitlocker_from_records(records: &[Vec<(String, String)>]) -> Option<Value> {
    let vols: Vec<Value> = records.iter().filter_map(|r| bitlocker_volume(r)).collect();
    (!vols.is_empty()).then_some(Value::Array(vols))
}

/// Result of reading `manage-bde -status` text (English or Japanese wording).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BdeState {
    /// Protection on.
    On,
    /// Fully encrypted but protection off (suspended).
    Suspended,
    /// Encryption in progress.
    Encrypting,
    /// Protection off / decrypted.
    Off,
}

/// Reads protection/conversion phrases from `manage-bde -status` output.
pub fn parse_manage_bde(s: &str) -> Option<BdeState> {
    let prot_on = s.contains("Protection On") || s.contains("保護はオンです");
    let prot_off = s.contains("Protection Off") || s.contains("保護はオフです");
    let full = s.contains("Fully Encrypted") || s.contains("完全に暗号化されています");
    let encrypting = s.contains("Encryption in Progress") || s.contains("暗号化しています");
    // Japanese Windows prints 「暗号化は完全に解除されています」 for Fully Decrypted (issue 13).
    let decrypted = s.contains("Fully Decrypted")
        || s.contains("完全に復号化されています")
        || s.contains("暗号化は完全に解除されています");
    if prot_on {
        Some(BdeState::On)
    } else if encrypting {
        Some(BdeState::Encrypting)
    } else if prot_off && full {
        Some(BdeState::Suspended)
    } else if prot_off || decrypted {
        Some(BdeState::Off)
    } else {
        None
    }
}

fn windows(caps: &[Captured]) -> Outcome {
    let doc = ps_doc(caps, "ps").ok();
    let drive = doc
        .as_ref()
        .and_then(|d| as_str(d.get("systemDrive")))
        .unwrap_or("C:")
        .to_string();
    let mut first_err = None;
    if let Some(d) = &doc {
        match section(d, "bitlocker") {
            Ok(v) => {
                let vols = as_list(Some(v));
                if let Some(vol) = vols.iter().find(|x| {
                    as_str(x.get("MountPoint")).is_some_and(|m| m.eq_ignore_ascii_case(&drive))
                        || as_str(x.get("VolumeType")) == Some("OperatingSystem")
                }) {
                    let status = as_str(vol.get("VolumeStatus")).unwrap_or("");
                    let prot = as_str(vol.get("ProtectionStatus")).unwrap_or("");
                    let facts =
                        json!({"source": "Get-BitLockerVolume", "drive": drive, "volumes": vols});
                    return match (status, prot) {
                        (_, "On") => on(&drive, "BitLocker").facts(facts),
                        ("EncryptionInProgress", _) => Outcome::warn(
                            "システムドライブを暗号化している途中です。",
                            "BitLocker encryption of the system drive is in progress.",
                        )
                        .act("暗号化が終わるまでPCの電源を切らずにお待ちください。", "Let the encryption finish.")
                        .facts(facts),
                        ("FullyEncrypted", _) => Outcome::fail(
                            "暗号化されていますが保護が一時停止中です（鍵がディスク上にあり、守られていません）。",
                            "The drive is encrypted but BitLocker protection is suspended.",
                        )
                        .act("BitLockerの保護を再開してください（manage-bde -protectors -enable C:）。", "Resume BitLocker protection.")
                        .facts(facts),
                        _ => off(&drive, Os::Windows).facts(facts),
                    };
                }
            }
            Err(r) => first_err = Some(r),
        }
        if let Ok(v) = section(d, "bitlockerShell") {
            let vols = as_list(Some(v));
            if let Some(vol) = vols
                .iter()
                .find(|x| as_str(x.get("Drive")).is_some_and(|m| m.eq_ignore_ascii_case(&drive)))
            {
                let val = vol.get("BitLockerProtection").unwrap_or(&Value::Null);
                let facts = json!({"source": "shell System.Volume.BitLockerProtection", "drive": drive, "value": val});
                return match as_i64(Some(val)) {
                    Some(1) => on(&drive, "shell property").facts(facts),
                    Some(2) => off(&drive, Os::Windows).facts(facts),
                    None => Outcome::unknown(
                        UnknownReason::NotInstalled,
                        "BitLockerの状態がありません（Home版など）",
                        "no BitLocker state (e.g. Home edition)",
                    )
                    .facts(facts),
                    Some(n) => Outcome::warn(
                        &format!(
                            "BitLockerの状態が通常と異なります（値 {n}：暗号化中・一時停止など）。"
                        ),
                        &format!("Unusual BitLocker state (value {n}: converting or suspended)."),
                    )
                    .act(
                        "BitLockerの画面で状態を確認してください。",
                        "Check the state in the BitLocker control panel.",
                    )
                    .facts(facts),
                };
            }
        }
    }
    match text(caps, "manage_bde") {
        Ok(t) => match parse_manage_bde(t) {
            Some(BdeState::On) => on(&drive, "manage-bde").facts(json!({"source": "manage-bde"})),
            Some(BdeState::Encrypting) => Outcome::warn(
                "システムドライブを暗号化している途中です。",
                "Encryption of the system drive is in progress.",
            )
            .act(
                "暗号化が終わるまでお待ちください。",
                "Let the encryption finish.",
            )
            .facts(json!({"source": "manage-bde"})),
            Some(BdeState::Suspended) => Outcome::fail(
                "暗号化されていますが保護が一時停止中です。",
                "The drive is encrypted but protection is suspended.",
            )
            .act(
                "BitLockerの保護を再開してください。",
                "Resume BitLocker protection.",
            )
            .facts(json!({"source": "manage-bde"})),
            Some(BdeState::Off) => off(&drive, Os::Windows).facts(json!({"source": "manage-bde"})),
            None => {
                let denied = t.contains("denied") || t.contains("拒否") || t.contains("管理者");
                unk(if denied {
                    UnknownReason::NeedsElevation
                } else {
                    first_err.unwrap_or(UnknownReason::Unparsable)
                })
            }
        },
        Err(r) => unk(first_err.unwrap_or(r)),
    }
}

fn macos(caps: &[Captured]) -> Outcome {
    let t = match text(caps, "fdesetup") {
        Ok(t) => t,
        Err(r) => return unk(r),
    };
    let facts = json!({"source": "fdesetup status"});
    if t.contains("Encryption in progress") {
        Outcome::warn(
            "FileVaultで暗号化している途中です。",
            "FileVault encryption is in progress.",
        )
        .act(
            "暗号化が終わるまでお待ちください。",
            "Let the encryption finish.",
        )
        .facts(facts)
    } else if t.contains("Decryption in progress") {
        Outcome::fail(
            "FileVaultの暗号化を解除している途中です。",
            "FileVault is decrypting the disk.",
        )
        .act(
            "FileVaultを有効のままにしてください。",
            "Keep FileVault turned on.",
        )
        .facts(facts)
    } else if t.contains("FileVault is On.") {
        on("Macintosh HD", "FileVault").facts(facts)
    } else if t.contains("FileVault is Off.") {
        off("Macintosh HD", Os::Macos).facts(facts)
    } else {
        unk(UnknownReason::Unparsable)
    }
}

/// Whether the filesystem mounted at `/` sits on a dm-crypt/LUKS device (`None` if no `/`).
pub fn root_encrypted(v: &Value) -> Option<bool> {
    fn walk(node: &Value, crypt_above: bool) -> Option<bool> {
        let ty = node.get("type").and_then(Value::as_str).unwrap_or("");
        let fs = node.get("fstype").and_then(Value::as_str).unwrap_or("");
        let crypt = crypt_above || ty == "crypt" || fs == "crypto_LUKS";
        let mounted_root = node.get("mountpoint").and_then(Value::as_str) == Some("/")
            || node
                .get("mountpoints")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|m| m.as_str() == Some("/")));
        if mounted_root {
            return Some(crypt);
        }
        node.get("children")
            .and_then(Value::as_array)
            .and_then(|kids| kids.iter().find_map(|k| walk(k, crypt)))
    }
    v.get("blockdevices")?
        .as_array()?
        .iter()
        .find_map(|d| walk(d, false))
}

fn linux(caps: &[Captured]) -> Outcome {
    let t = match text(caps, "lsblk") {
        Ok(t) => t,
        Err(r) => return unk(r),
    };
    let Ok(v) = serde_json::from_str::<Value>(lines(t).collect::<Vec<_>>().join("\n").as_str())
    else {
        return unk(UnknownReason::Unparsable);
    };
    match root_encrypted(&v) {
        Some(true) => on("/", "LUKS").facts(json!({"source": "lsblk"})),
        Some(false) => off("/", Os::Linux).facts(json!({"source": "lsblk"})),
        None => Outcome::unknown(
            UnknownReason::Unparsable,
            "ルート（/）のディスクが見つかりません（コンテナ内など）",
            "no block device mounted at / (container?)",
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn real_bitlocker_list_gives_the_script_volume() {
        let v = bitlocker_from_list(include_str!(
            "../../tests/fixtures/real/windows/disk.encryption/get_bitlockervolume_list_learn_example_c_on/Get-BitLockerVolume.txt"
        ))
        .unwrap();
        assert_eq!(
            v,
            json!([{"MountPoint": "C:", "VolumeType": "OperatingSystem",
                "VolumeStatus": "FullyEncrypted", "ProtectionStatus": "On",
                "EncryptionPercentage": 100.0, "EncryptionMethod": "XtsAes128"}])
        );
    }

    #[test]
    fn real_bitlocker_table_gives_the_script_volumes() {
        let v = bitlocker_from_table(include_str!(
            "../../tests/fixtures/real/windows/disk.encryption/get_bitlockervolume_table_learn_example_c_decrypted/Get-BitLockerVolume.txt"
        ))
        .unwrap();
        let vols = v.as_array().unwrap();
        assert_eq!(vols.len(), 5);
        assert_eq!(
            vols[0],
            json!({"MountPoint": "D:", "VolumeType": "Data",
                "VolumeStatus": "EncryptionInProgress", "ProtectionStatus": "Off",
                "EncryptionPercentage": 1.0, "EncryptionMethod": null})
        );
        assert_eq!(vols[2]["MountPoint"], "C:");
        assert_eq!(vols[2]["VolumeType"], "OperatingSystem");
        assert_eq!(vols[2]["VolumeStatus"], "FullyDecrypted");
        assert_eq!(vols[2]["ProtectionStatus"], "Off");
        assert_eq!(vols[2]["EncryptionPercentage"], 0.0);
    }

    #[test]
    fn bitlocker_text_decimal_comma_missing_fields_and_other_text() {
        let v = bitlocker_from_list(
            "MountPoint : D:\nVolumeStatus : EncryptionInProgress\nEncryptionPercentage : 45,5\n\nMountPoint : E:\n",
        )
        .unwrap();
        assert_eq!(v.as_array().unwrap().len(), 1);
        assert_eq!(v[0]["EncryptionPercentage"], 45.5);
        assert_eq!(v[0]["ProtectionStatus"], Value::Null);
        assert!(bitlocker_from_list("Name : Public\nEnabled : True\n").is_none());
        assert!(bitlocker_from_table("Name   Enabled\n----   -------\nPublic True\n").is_none());
        assert!(bitlocker_from_table("").is_none());
    }
}
