//! The medical LAN port profile: which TCP ports `lan.ports` checks and what an open port means.
//! Documented for users in `docs/network-checks.md`; keep both in step.

use serde::{Deserialize, Serialize};

use tenken_base::Text;
use tenken_evidence::Verdict;

/// What an open port means for the host verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Open is a finding that must be fixed (clear-text login or remote control without strong auth).
    Fail,
    /// Open must be restricted to the devices that need it.
    Warn,
    /// Open is normal for such a device; recorded for the device ledger.
    Note,
}

impl Rule {
    /// The verdict an open port with this rule contributes.
    pub fn verdict(self) -> Verdict {
        match self {
            Rule::Fail => Verdict::Fail,
            Rule::Warn => Verdict::Warn,
            Rule::Note => Verdict::Pass,
        }
    }
}

/// One port of the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortSpec {
    /// TCP port.
    pub port: u16,
    /// Service name.
    pub service: &'static str,
    /// Rule when open.
    pub rule: Rule,
    /// Why it matters when open (Japanese).
    pub why_ja: &'static str,
    /// Why it matters when open (English).
    pub why_en: &'static str,
}

impl PortSpec {
    /// Bilingual explanation.
    pub fn why(&self) -> Text {
        Text::new(self.why_ja, self.why_en)
    }
}

macro_rules! p {
    ($port:expr, $svc:expr, $rule:ident, $ja:expr, $en:expr) => {
        PortSpec {
            port: $port,
            service: $svc,
            rule: Rule::$rule,
            why_ja: $ja,
            why_en: $en,
        }
    };
}

/// The medical LAN port profile, in scan order.
pub const MEDICAL_PROFILE: &[PortSpec] = &[
    p!(
        445,
        "SMB",
        Warn,
        "ファイル共有(SMB)が開いています。必要なPCだけに制限してください",
        "SMB file sharing is open; restrict it to the PCs that need it"
    ),
    p!(
        139,
        "NetBIOS/SMB",
        Fail,
        "古いファイル共有(NetBIOS)が開いています。無効にしてください",
        "Legacy NetBIOS file sharing is open; disable it"
    ),
    p!(
        3389,
        "RDP",
        Warn,
        "リモートデスクトップが開いています。管理者の端末だけに制限してください",
        "Remote Desktop is open; restrict it to administrators' devices"
    ),
    p!(
        5900,
        "VNC",
        Fail,
        "VNC(画面共有)が開いています。認証が弱いことが多いため閉じてください",
        "VNC remote control is open; it often has weak authentication, close it"
    ),
    p!(
        5800,
        "VNC-HTTP",
        Fail,
        "VNC(ブラウザ版)が開いています。閉じてください",
        "VNC over HTTP is open; close it"
    ),
    p!(
        23,
        "Telnet",
        Fail,
        "Telnet(暗号化なしのログイン)が開いています。無効にしてください",
        "Telnet (unencrypted login) is open; disable it"
    ),
    p!(
        21,
        "FTP",
        Fail,
        "FTP(暗号化なしのファイル転送)が開いています。無効にしてください",
        "FTP (unencrypted file transfer) is open; disable it"
    ),
    p!(
        22,
        "SSH",
        Note,
        "SSHが開いています(管理用)",
        "SSH is open (administration)"
    ),
    p!(
        80,
        "HTTP",
        Note,
        "Web画面(HTTP)が開いています",
        "A web page (HTTP) is served"
    ),
    p!(
        443,
        "HTTPS",
        Note,
        "Web画面(HTTPS)が開いています",
        "A web page (HTTPS) is served"
    ),
    p!(
        8080,
        "HTTP-alt",
        Note,
        "Web画面(8080)が開いています",
        "A web page (port 8080) is served"
    ),
    p!(
        1433,
        "MS SQL Server",
        Warn,
        "データベース(SQL Server)が開いています。接続元を制限してください",
        "A database (SQL Server) is open; restrict who can connect"
    ),
    p!(
        1521,
        "Oracle DB",
        Warn,
        "データベース(Oracle)が開いています。接続元を制限してください",
        "A database (Oracle) is open; restrict who can connect"
    ),
    p!(
        3306,
        "MySQL",
        Warn,
        "データベース(MySQL)が開いています。接続元を制限してください",
        "A database (MySQL) is open; restrict who can connect"
    ),
    p!(
        5432,
        "PostgreSQL",
        Warn,
        "データベース(PostgreSQL)が開いています。接続元を制限してください",
        "A database (PostgreSQL) is open; restrict who can connect"
    ),
    p!(
        104,
        "DICOM",
        Warn,
        "DICOMが開いています。接続元をモダリティ・連携先に限定してください",
        "DICOM is open; restrict it to the modalities and partners"
    ),
    p!(
        11112,
        "DICOM",
        Warn,
        "DICOMが開いています。接続元をモダリティ・連携先に限定してください",
        "DICOM is open; restrict it to the modalities and partners"
    ),
    p!(
        2575,
        "HL7",
        Warn,
        "HL7が開いています。接続元を連携先に限定してください",
        "HL7 is open; restrict it to the partner systems"
    ),
    p!(
        5985,
        "WinRM",
        Warn,
        "Windowsリモート管理(WinRM HTTP)が開いています。制限してください",
        "Windows Remote Management (HTTP) is open; restrict it"
    ),
    p!(
        5986,
        "WinRM-HTTPS",
        Warn,
        "Windowsリモート管理(WinRM)が開いています。制限してください",
        "Windows Remote Management is open; restrict it"
    ),
    p!(
        9100,
        "Printer (RAW)",
        Note,
        "プリンタ印刷ポートです",
        "Printer port (RAW printing)"
    ),
    p!(
        631,
        "IPP",
        Note,
        "プリンタ印刷ポート(IPP)です",
        "Printer port (IPP)"
    ),
    p!(
        4443,
        "VPN admin",
        Warn,
        "VPN等の管理画面が開いています。LAN内からの接続元を制限してください",
        "A VPN or appliance admin page is open; restrict who can reach it"
    ),
    p!(
        8443,
        "VPN/admin HTTPS",
        Warn,
        "VPN等の管理画面が開いています。LAN内からの接続元を制限してください",
        "A VPN or appliance admin page is open; restrict who can reach it"
    ),
    p!(
        10443,
        "VPN admin",
        Warn,
        "VPN等の管理画面が開いています。LAN内からの接続元を制限してください",
        "A VPN or appliance admin page is open; restrict who can reach it"
    ),
];

/// The ports of [`MEDICAL_PROFILE`] in scan order.
pub fn ports() -> Vec<u16> {
    MEDICAL_PROFILE.iter().map(|p| p.port).collect()
}

/// Looks up a port of the profile.
pub fn spec(port: u16) -> Option<&'static PortSpec> {
    MEDICAL_PROFILE.iter().find(|p| p.port == port)
}

/// The router management ports checked by `net.router.exposure`.
pub const ROUTER_PORTS: &[u16] = &[80, 443, 8080, 8443, 23, 22];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_has_unique_ports_and_covers_the_issue_list() {
        let ports = ports();
        let mut sorted = ports.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ports.len());
        for p in [
            445, 139, 3389, 5900, 5800, 23, 21, 22, 80, 443, 8080, 1433, 1521, 3306, 5432, 104,
            11112, 2575, 5985, 5986, 9100, 631, 4443, 10443, 8443,
        ] {
            assert!(spec(p).is_some(), "port {p} missing");
        }
        assert_eq!(spec(23).map(|s| s.rule), Some(Rule::Fail));
        assert_eq!(spec(104).map(|s| s.rule), Some(Rule::Warn));
    }
}
