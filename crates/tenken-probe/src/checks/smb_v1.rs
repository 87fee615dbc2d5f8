//! `smb.v1`: the obsolete SMBv1 file-sharing protocol (WannaCry) is off.
//!
//! Windows: optional feature `SMB1Protocol` state, `Get-SmbServerConfiguration` (admin) and the
//! LanmanServer/mrxsmb10 registry. Linux: Samba `server min protocol` (NT1 or lower = fail; no
//! Samba = not applicable). macOS: not applicable (no SMBv1 server setting).

use std::time::Duration;

use serde_json::json;

use super::kit::{
    Outcome, as_bool, as_i64, cmd, host_probe, lines, missing, ps, ps_doc, section, text, unk,
};
use crate::{Captured, EvalContext, Os, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::UnknownReason;

host_probe!(SmbV1, "Probe `smb.v1`: SMBv1 disabled.");

fn meta() -> ProbeMeta {
    ProbeMeta {
        id: "smb.v1",
        title: Text::new("古いファイル共有（SMBv1）の停止", "SMBv1 disabled"),
        reads: vec![
            (
                Os::Windows,
                "Win32_OptionalFeature SMB1Protocol, Get-SmbServerConfiguration, registry",
            ),
            (Os::Macos, "not applicable"),
            (
                Os::Linux,
                "testparm -s --parameter-name 'server min protocol'",
            ),
        ],
        needs_elevation: false,
        timeout: Duration::from_secs(45),
        checklist_refs: super::registry_refs("smb.v1"),
    }
}

fn plan(os: Os) -> Vec<Source> {
    match os {
        Os::Windows => vec![ps(
            "ps",
            r"$out.smb1=Try-Probe{$srv=Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters' -ErrorAction SilentlyContinue;$cli=Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Services\mrxsmb10' -ErrorAction SilentlyContinue;$feat=Get-CimInstance Win32_OptionalFeature -Filter 'Name=''SMB1Protocol''' -OperationTimeoutSec 30 -ErrorAction SilentlyContinue;[ordered]@{ServerSMB1Value=$srv.SMB1;ClientDriverPresent=($null -ne $cli);ClientDriverStart=$cli.Start;FeatureInstallState=$(if($feat){[int]$feat.InstallState}else{$null})}};$out.smbServerConfig=Try-Probe{$c=Get-SmbServerConfiguration;[ordered]@{EnableSMB1Protocol=$c.EnableSMB1Protocol;EnableSMB2Protocol=$c.EnableSMB2Protocol}}",
        )],
        Os::Macos => Vec::new(),
        Os::Linux => vec![cmd(
            "testparm",
            "testparm",
            &["-s", "--parameter-name=server min protocol"],
        )],
    }
}

fn evaluate(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    match ctx.os {
        Os::Windows => windows(caps),
        Os::Macos => Outcome::na(
            "MacではSMBv1のサーバー設定はありません。",
            "macOS has no SMBv1 server setting.",
        ),
        Os::Linux => linux(caps),
    }
}

/// The `smbServerConfig` object of the probe script, built from `Get-SmbServerConfiguration`
/// printed as a list (its default view, as an administrator copies it), so that a pasted output
/// is judged like the script's own: `EnableSMB1Protocol` and `EnableSMB2Protocol` as booleans
/// (`null` when the line is missing or not `True`/`False`). `None` when there is no
/// `EnableSMB1Protocol` line (not this cmdlet's output). The script's `smb1` section (registry,
/// optional feature) is not in this text and is not invented.
pub fn server_config_from_list(text: &str) -> Option<serde_json::Value> {
    let records = crate::parse::ps_format_list(text);
    let r = records
        .iter()
        .find(|r| crate::parse::kv_get(r, "EnableSMB1Protocol").is_some())?;
    let boolean = |k: &str| match crate::parse::kv_get(r, k).map(str::to_ascii_lowercase) {
        Some(v) if v == "true" => serde_json::Value::Bool(true),
        Some(v) if v == "false" => serde_json::Value::Bool(false),
        _ => serde_json::Value::Null,
    };
    Some(json!({
        "EnableSMB1Protocol": boolean("EnableSMB1Protocol"),
        "EnableSMB2Protocol": boolean("EnableSMB2Protocol"),
    }))
}

fn on() -> Outcome {
    Outcome::fail(
        "古いファイル共有の仕組み（SMBv1）が有効です。ランサムウェアに悪用されます。",
        "SMBv1 is enabled; ransomware such as WannaCry abuses it.",
    )
    .act(
        "SMBv1を無効にしてください（古い複合機やNASが使っている場合は業者に相談）。",
        "Disable SMBv1 (ask your vendor if an old printer or NAS still needs it).",
    )
}

fn off() -> Outcome {
    Outcome::pass("SMBv1は無効です。", "SMBv1 is disabled.")
}

fn windows(caps: &[Captured]) -> Outcome {
    let doc = match ps_doc(caps, "ps") {
        Ok(d) => d,
        Err(r) => return unk(r),
    };
    let cfg = section(&doc, "smbServerConfig").ok();
    let enable = cfg.and_then(|c| as_bool(c.get("EnableSMB1Protocol")));
    let smb1 = section(&doc, "smb1");
    let (feature, srv, cli_present, cli_start) = match &smb1 {
        Ok(s) => (
            as_i64(s.get("FeatureInstallState")),
            as_i64(s.get("ServerSMB1Value")),
            as_bool(s.get("ClientDriverPresent")),
            as_i64(s.get("ClientDriverStart")),
        ),
        Err(_) => (None, None, None, None),
    };
    let facts = json!({
        "feature_install_state": feature, "enable_smb1_protocol": enable,
        "server_smb1_registry": srv, "client_driver_present": cli_present, "client_driver_start": cli_start,
    });
    if feature == Some(1) || enable == Some(true) {
        return on().facts(facts);
    }
    if matches!(feature, Some(2) | Some(3)) || enable == Some(false) {
        return off().facts(facts);
    }
    let client_off = cli_present == Some(false) || cli_start == Some(4);
    if srv == Some(0) && client_off {
        return off().facts(facts);
    }
    let reason = smb1.err().unwrap_or(UnknownReason::NeedsElevation);
    Outcome::unknown(
        reason,
        "SMBv1の状態を決められる情報がありません",
        "not enough data to decide SMBv1",
    )
    .facts(facts)
}

fn linux(caps: &[Captured]) -> Outcome {
    if missing(caps, "testparm") {
        return Outcome::na(
            "Samba（ファイル共有サーバー）が入っていません。",
            "Samba is not installed.",
        );
    }
    let t = match text(caps, "testparm") {
        Ok(t) => t,
        Err(r) => return unk(r),
    };
    let Some(v) = lines(t).last().map(|l| l.to_ascii_uppercase()) else {
        return unk(UnknownReason::Unparsable);
    };
    let facts = json!({"server_min_protocol": v});
    if ["NT1", "LANMAN1", "LANMAN2", "CORE", "COREPLUS"].contains(&v.as_str()) {
        on().facts(facts)
    } else if v.starts_with("SMB2") || v.starts_with("SMB3") || v == "DEFAULT" {
        off().facts(facts)
    } else {
        unk(UnknownReason::Unparsable).facts(facts)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn real_server_configuration_list_gives_the_script_object() {
        let c = server_config_from_list(include_str!(
            "../../tests/fixtures/real/windows/smb.v1/smb_server_configuration_learn_example_smb1_off/Get-SmbServerConfiguration.txt"
        ))
        .unwrap();
        assert_eq!(
            c,
            json!({"EnableSMB1Protocol": false, "EnableSMB2Protocol": true})
        );
        let c = server_config_from_list("PS C:\\> x\r\nEnableSMB1Protocol : True\r\n").unwrap();
        assert_eq!(
            c,
            json!({"EnableSMB1Protocol": true, "EnableSMB2Protocol": null})
        );
        let c = server_config_from_list("EnableSMB1Protocol : \n").unwrap();
        assert_eq!(c["EnableSMB1Protocol"], serde_json::Value::Null);
        assert!(server_config_from_list("Name : Domain\nEnabled : True\n").is_none());
    }
}
