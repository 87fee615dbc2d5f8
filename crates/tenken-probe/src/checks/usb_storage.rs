//! `usb.storage`: whether USB mass storage is restricted.
//!
//! Windows: `USBSTOR\Start = 4` or the removable-storage deny policies = pass; none = fail.
//! Linux: `usb-storage` blacklisted/`install ... /bin/false` in modprobe config or USBGuard
//! active = pass (loaded anyway = warn); none = fail. macOS has no built-in switch (MDM only),
//! so it is `unknown` and must be attested by hand.

use std::time::Duration;

use serde_json::json;

use super::kit::{Outcome, as_i64, cmd, file, host_probe, lines, ps, ps_doc, section, text, unk};
use crate::{Captured, EvalContext, Os, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::UnknownReason;

host_probe!(UsbStorage, "Probe `usb.storage`: USB storage restriction.");

fn meta() -> ProbeMeta {
    ProbeMeta {
        id: "usb.storage",
        title: Text::new("USBメモリの利用制限", "USB storage restriction"),
        reads: vec![
            (
                Os::Windows,
                "HKLM USBSTOR Start, RemovableStorageDevices deny policies",
            ),
            (Os::Macos, "none (MDM only): manual attestation"),
            (
                Os::Linux,
                "modprobe --showconfig, /proc/modules, systemctl is-active usbguard",
            ),
        ],
        needs_elevation: false,
        timeout: Duration::from_secs(20),
        checklist_refs: super::registry_refs("usb.storage"),
    }
}

fn plan(os: Os) -> Vec<Source> {
    match os {
        Os::Windows => vec![ps(
            "ps",
            r"$out.usb=Try-Probe{$st=Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Services\USBSTOR' -ErrorAction SilentlyContinue;$rs='HKLM:\SOFTWARE\Policies\Microsoft\Windows\RemovableStorageDevices';$all=Get-ItemProperty $rs -ErrorAction SilentlyContinue;$disk=Get-ItemProperty ($rs+'\{53f5630d-b6bf-11d0-94f2-00a0c91efb8b}') -ErrorAction SilentlyContinue;[ordered]@{UsbStorStart=$st.Start;DenyAll=$all.Deny_All;RemovableDiskDenyRead=$disk.Deny_Read;RemovableDiskDenyWrite=$disk.Deny_Write}}",
        )],
        Os::Macos => Vec::new(),
        Os::Linux => vec![
            cmd("modprobe", "modprobe", &["--showconfig"]),
            file("modules", "/proc/modules"),
            cmd("usbguard", "systemctl", &["is-active", "usbguard"]),
            cmd(
                "modprobe_d",
                "grep",
                &[
                    "-rhs",
                    "usb.storage",
                    "/etc/modprobe.d",
                    "/usr/lib/modprobe.d",
                    "/lib/modprobe.d",
                ],
            ),
        ],
    }
}

fn evaluate(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    match ctx.os {
        Os::Windows => windows(caps),
        Os::Macos => Outcome::unknown(
            UnknownReason::UnsupportedOs,
            "MacにはUSBメモリを止める標準の設定がありません（MDMで管理します）",
            "macOS has no built-in USB storage switch (MDM only)",
        )
        .act(
            "USBメモリの利用ルール（許可したものだけ使う等）を決め、手作業で確認結果を記録してください。",
            "Set a USB storage rule and record your manual check.",
        ),
        Os::Linux => linux(caps),
    }
}

fn blocked() -> Outcome {
    Outcome::pass(
        "USBメモリの利用が制限されています。",
        "USB storage is restricted.",
    )
}

fn open() -> Outcome {
    Outcome::fail(
        "USBメモリを自由に使える状態です。",
        "USB storage devices can be used freely.",
    )
    .act(
        "USBメモリの利用を禁止するか、許可したものだけ使える設定にしてください（業者に相談）。運用ルールで制限している場合は手作業で記録してください。",
        "Block USB storage or allow only approved devices; if restricted by procedure, record it manually.",
    )
}

fn windows(caps: &[Captured]) -> Outcome {
    let usb = match ps_doc(caps, "ps").and_then(|d| section(&d, "usb").cloned()) {
        Ok(v) => v,
        Err(r) => return unk(r),
    };
    let start = as_i64(usb.get("UsbStorStart"));
    let deny_all = as_i64(usb.get("DenyAll"));
    let deny_read = as_i64(usb.get("RemovableDiskDenyRead"));
    let deny_write = as_i64(usb.get("RemovableDiskDenyWrite"));
    let facts = json!({"usbstor_start": start, "deny_all": deny_all, "deny_read": deny_read, "deny_write": deny_write});
    if start == Some(4) || deny_all == Some(1) || deny_write == Some(1) || deny_read == Some(1) {
        blocked().facts(facts)
    } else if start.is_none() && deny_all.is_none() && deny_write.is_none() && deny_read.is_none() {
        // No USBSTOR key at all: the driver was never installed, or the value is unreadable.
        Outcome::unknown(
            UnknownReason::Unparsable,
            "USBSTORの設定値がありません",
            "no USBSTOR value",
        )
        .facts(facts)
    } else {
        open().facts(facts)
    }
}

fn linux(caps: &[Captured]) -> Outcome {
    let guard = text(caps, "usbguard")
        .ok()
        .map(|t| t.trim() == "active")
        .unwrap_or(false);
    let loaded = text(caps, "modules")
        .ok()
        .map(|t| lines(t).any(|l| l.split_whitespace().next() == Some("usb_storage")));
    let cfg = text(caps, "modprobe");
    if guard {
        return blocked().facts(json!({"usbguard": true, "module_loaded": loaded}));
    }
    // Without kmod's `modprobe`, read the modprobe.d lines directly (grep exit 1 = no match, 2 = a directory is missing; -s hides it).
    let grep = super::kit::find(caps, "modprobe_d")
        .filter(|c| c.error.is_none() && matches!(c.exit_code, Some(0..=2)))
        .map(|c| c.stdout.as_str());
    let cfg = match (cfg, grep) {
        (Ok(t), _) => t,
        (Err(_), Some(g)) => g,
        (Err(r), None) => return unk(r),
    };
    let disabled = lines(cfg).any(|l| {
        let l = l.replace('-', "_");
        l == "blacklist usb_storage"
            || (l.starts_with("install usb_storage ")
                && (l.ends_with("/bin/true")
                    || l.ends_with("/bin/false")
                    || l.ends_with("/usr/bin/false")
                    || l.ends_with("/usr/bin/true")))
    });
    let facts =
        json!({"usbguard": false, "disabled_in_modprobe": disabled, "module_loaded": loaded});
    match (disabled, loaded) {
        (true, Some(true)) => Outcome::warn(
            "USBメモリは無効化の設定がありますが、今は読み込まれています。",
            "usb-storage is disabled in modprobe but currently loaded.",
        )
        .act(
            "PCを再起動し、設定が効いているか確認してください。",
            "Reboot and check that the block takes effect.",
        )
        .facts(facts),
        (true, _) => blocked().facts(facts),
        (false, _) => open().facts(facts),
    }
}
