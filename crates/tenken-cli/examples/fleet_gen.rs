//! Generates a hospital-sized fleet of signed evidence bundles for `make bench` (issue 19): the
//! committed Windows, macOS and Linux replay sets, each replayed once, copied to N PCs with their
//! own host names, scan times spread over 60 days and some verdicts varied, each signed by the
//! installation in DATA (as `tenken scan --json` writes them: `NAME.tenken.json` + `.p7s`).
//! Run: `cargo run --release -p tenken-cli --example fleet_gen DATA OUT N`.

use std::path::PathBuf;

use tenken_core::Text;
use tenken_core::evidence::{UnknownReason, Verdict};
use tenken_core::probe::checks;
use tenken_core::probe::runner::{self, Mode, ScanOptions};
use tenken_core::sign::bundle::sign_bundle;
use tenken_core::sign::keystore::KeyStore;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(data), Some(out), Some(n)) = (args.next(), args.next(), args.next()) else {
        anyhow::bail!("usage: fleet_gen DATA OUT N");
    };
    let n: usize = n.parse()?;
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;
    let root =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tenken-probe/tests/fixtures/replay");
    let mut bases = Vec::new();
    for os in ["windows", "macos", "linux"] {
        let opts = ScanOptions {
            mode: Mode::Replay(root.join(os)),
            ..ScanOptions::default()
        };
        bases.push(runner::scan_blocking(checks::all(), opts, None)?);
    }
    let signer = KeyStore::open(std::path::Path::new(&data)).signer("ベンチマーク病院")?;
    let now = chrono::Utc::now();
    for i in 0..n {
        let mut b = bases[i % bases.len()].clone();
        b.host.hostname = format!("PC-{i:04}");
        // Scans spread over the last 60 days: some PCs not seen for weeks.
        let age = chrono::Duration::hours(i64::try_from((i * 37) % (60 * 24))?);
        let dur = b.ended_at - b.started_at;
        b.started_at = now - age;
        b.ended_at = b.started_at + dur;
        // Every 7th PC has its firewall off, every 11th an unknown antivirus; the summary and
        // the action say so, as the probes word them (the facts and raw outputs stay those of
        // the recording).
        for f in &mut b.findings {
            if i % 7 == 0 && f.probe_id == "firewall.host" {
                f.verdict = Verdict::Fail;
                f.reason = None;
                f.summary = Text::new("ファイアウォールが無効です", "The host firewall is off");
                f.action = Text::new(
                    "ファイアウォールを有効にしてください",
                    "Turn the host firewall on",
                );
            }
            if i % 11 == 0 && f.probe_id == "antivirus.status" {
                let reason = UnknownReason::NeedsElevation;
                f.verdict = Verdict::Unknown;
                f.reason = Some(reason);
                f.summary = reason.text();
                f.action = Text::new(
                    "管理者としてTenkenを実行して、もう一度確認してください。",
                    "Run Tenken as administrator and check again.",
                );
            }
        }
        let signed = sign_bundle(&b, signer.as_ref())?;
        let path = out.join(format!("PC-{i:04}.tenken.json"));
        std::fs::write(&path, serde_json::to_vec_pretty(&b)?)?;
        std::fs::write(
            out.join(format!("PC-{i:04}.tenken.json.p7s")),
            &signed.signature,
        )?;
    }
    println!("{n} signed bundles in {}", out.display());
    Ok(())
}
