//! `tenken scan --network --lan …` as a user runs it, inside the namespace lab of
//! `tests/netlab/lab.sh` (clinic LAN, double-NAT router with an HTTP login page and Telnet, LAN
//! hosts with SMB/RDP/DICOM/HL7, a firewalled host, a never-touch host). Needs root: CI runs as
//! root and sets TENKEN_NETLAB_REQUIRED=1, so a skip there is a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use tenken_core::evidence::{Bundle, Verdict};

fn lab_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/netlab/lab.sh")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Tears the lab down when dropped, also when an assertion fails.
struct Lab {
    prefix: String,
    state: tempfile::TempDir,
}

impl Lab {
    fn up() -> Lab {
        let prefix = format!("tc{}", std::process::id() % 100_000);
        let lab = Lab {
            prefix,
            state: tempfile::tempdir().unwrap(),
        };
        let out = Command::new("bash")
            .arg(lab_script())
            .args(["up", &lab.prefix])
            .arg(lab.state.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "lab up failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        lab
    }
}

impl Lab {
    /// Runs `tenken --data-dir DATA ARGS` inside the lab's clinic namespace (Japanese output).
    fn tenken(&self, data: &Path, args: &[&str]) -> std::process::Output {
        Command::new("ip")
            .args(["netns", "exec", &format!("{}-clinic", self.prefix)])
            .arg(env!("CARGO_BIN_EXE_tenken"))
            .arg("--data-dir")
            .arg(data)
            .args(args)
            .env("TENKEN_LANG", "ja")
            .output()
            .unwrap()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(lab_script())
            .args(["down", &self.prefix])
            .arg(self.state.path())
            .output();
    }
}

#[test]
fn scan_with_network_consent_inside_the_lab() {
    if !is_root() {
        assert!(
            std::env::var("TENKEN_NETLAB_REQUIRED").is_err(),
            "TENKEN_NETLAB_REQUIRED is set but the network lab needs root"
        );
        eprintln!(
            "\n!!!!!!!! NETWORK LAB CLI TEST SKIPPED: needs root (network namespaces) !!!!!!!!\n"
        );
        return;
    }
    let lab = Lab::up();
    let work = tempfile::tempdir().unwrap();
    let json = work.path().join("lab.tenken.json");
    let out = lab.tenken(
        &work.path().join("data"),
        &[
            "scan",
            "--quiet",
            "--network",
            "--lan",
            "192.168.77.21-23",
            "--lan",
            "192.168.77.24",
            "--never-touch",
            "192.168.77.24",
            "--json",
            json.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    // A readable Japanese result for the network part.
    let text = format!("{stdout}{stderr}");
    for expected in ["不適合", "要改善", "192.168.77.21", "192.168.77.1"] {
        assert!(text.contains(expected), "missing {expected} in:\n{text}");
    }

    // The same findings are in the bundle.
    let bundle = Bundle::from_json(&std::fs::read(&json).unwrap()).unwrap();
    let find = |id: &'static str| bundle.findings.iter().filter(move |f| f.probe_id == id);
    let exposure = find("net.router.exposure")
        .next()
        .expect("router exposure finding");
    assert_eq!(
        exposure.verdict,
        Verdict::Fail,
        "Telnet open on the router is 不適合"
    );
    assert_eq!(
        find("net.upnp").next().expect("UPnP finding").verdict,
        Verdict::Warn
    );
    let lan: Vec<_> = find("lan.ports").collect();
    let host = |ip: &str| {
        lan.iter()
            .find(|f| serde_json::to_string(&f.facts).unwrap().contains(ip))
            .unwrap_or_else(|| panic!("no lan.ports finding for {ip}"))
    };
    assert_eq!(host("192.168.77.21").verdict, Verdict::Warn);
    assert_eq!(host("192.168.77.22").verdict, Verdict::Warn);
    // The never-touch host is reported as not contacted, never as checked.
    assert_eq!(host("192.168.77.24").verdict, Verdict::NotApplicable);
    // Every contacted address and port is recorded as network evidence.
    assert!(
        lan.iter()
            .flat_map(|f| &f.evidence)
            .any(|e| e.source.contains("192.168.77.21:445"))
    );
    assert!(
        !lan.iter()
            .flat_map(|f| &f.evidence)
            .any(|e| e.source.contains("192.168.77.24:"))
    );

    // The bundle alone replays the network findings too (outside the lab: nothing is sent),
    // with the same verdicts and facts, from the observations it keeps whole.
    let replayed = work.path().join("replayed.tenken.json");
    common::ok(&common::tenken(
        &work.path().join("data-replay"),
        &[
            "scan",
            "--quiet",
            "--replay",
            json.to_str().unwrap(),
            "--json",
            replayed.to_str().unwrap(),
        ],
    ));
    let again = Bundle::from_json(&std::fs::read(&replayed).unwrap()).unwrap();
    let network = |b: &Bundle| {
        let mut v: Vec<(String, Verdict, String)> = b
            .findings
            .iter()
            .filter(|f| {
                (f.probe_id.starts_with("lan.") || f.probe_id.starts_with("net."))
                    && !["net.gateway", "net.peers"].contains(&f.probe_id.as_str())
            })
            .map(|f| (f.probe_id.clone(), f.verdict, f.facts.to_string()))
            .collect();
        v.sort_by(|a, b| (&a.0, &a.2).cmp(&(&b.0, &b.2)));
        v
    };
    assert!(network(&bundle).len() >= 6, "{:?}", network(&bundle));
    assert_eq!(network(&again), network(&bundle));

    // The whole /24 with the router check, then the report: the network device ledger shows the
    // FortiGate router with its known exploited FortiOS vulnerabilities, the NAS answering SNMP
    // "public", the vendor's LTE router as another way out, and a VPN device entered by hand.
    let data = work.path().join("data");
    let net_json = work.path().join("lan24.tenken.json");
    let out = lab.tenken(
        &data,
        &[
            "scan",
            "--quiet",
            "--probe",
            "lan.ports",
            "--network",
            "--lan",
            "192.168.77.0/24",
            "--never-touch",
            "192.168.77.24",
            "--json",
            net_json.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::ok(&common::tenken(
        &data,
        &[
            "ledger",
            "add-device",
            "--kind",
            "vpn",
            "--name",
            "保守用VPN",
            "--manufacturer",
            "SonicWall",
            "--model",
            "SMA 100",
            "--ip",
            "192.168.77.2",
            "--managed-by",
            "vendor:ABCメディカル",
            "--partner",
            "ABCメディカル保守センター",
            "--partner-ip",
            "203.0.113.10",
            "--method",
            "SSL-VPN",
            "--maintenance",
            "yes",
            "--firmware-updated",
            "2026-10-01",
        ],
    ));
    let pdf = work.path().join("report.pdf");
    common::ok(&common::tenken(
        &data,
        &[
            "report",
            "--no-scan",
            "--bundle",
            net_json.to_str().unwrap(),
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    let text = common::pdf_text(&pdf);
    for expected in [
        "外部接続ネットワーク装置一覧",
        "FortiGate-60E",
        "FortiOS",
        "CVE-2018-13379",
        "ランサムウェアで使用",
        "SNMP 初期設定",
        "ルーター以外の出口の候補",
        "Aterm MR05LN",
        "保守用VPN",
        "203.0.113.10",
        "保守契約あり",
        "SMA",
    ] {
        assert!(
            text.contains(expected),
            "missing {expected} in the report:\n{text}"
        );
    }
    // The same ledger in the CLI.
    let ledger = common::ok(&common::tenken(&data, &["ledger"]));
    assert!(ledger.contains("ネットワーク確認で発見"), "{ledger}");
    assert!(ledger.contains("CVE-2018-13379"), "{ledger}");

    // This PC's own ways out (a local probe, nothing sent): the lab's clinic PC is dual-homed
    // (192.168.77.10 and 10.88.0.10) with a static route 10.99.0.0/16 via 10.88.0.254.
    let gw_json = work.path().join("gw.tenken.json");
    let out = lab.tenken(
        &data,
        &[
            "scan",
            "--quiet",
            "--probe",
            "net.gateway",
            "--json",
            gw_json.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let b = Bundle::from_json(&std::fs::read(&gw_json).unwrap()).unwrap();
    let g = b
        .findings
        .iter()
        .find(|f| f.probe_id == "net.gateway")
        .unwrap();
    assert_eq!(g.verdict, Verdict::Warn, "{:?}", g.summary);
    assert_eq!(g.facts["dual_homed"], true);
    assert_eq!(
        g.facts["static_routes"],
        serde_json::json!([{"dest": "10.99.0.0/16", "gateway": "10.88.0.254", "iface": "emr0"}])
    );
    assert!(
        g.summary.ja.contains("静的ルート 10.99.0.0/16"),
        "{}",
        g.summary.ja
    );
}
