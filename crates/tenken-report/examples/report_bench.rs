//! Bench: renders the synthesised sample report (about 30 pages), signs it (PAdES, P-256) and
//! prints pages, size and the time of each step.
//! Run with `cargo run --release -p tenken-report --example report_bench [OUT.pdf]`.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (cl, asmt, mut bundles) = tenken_testkit::sample::input_parts();
    // Two more consultation-room PCs (copies of the first host) bring the sample past 30 pages.
    for n in 2..=3 {
        let mut extra = bundles[0].clone();
        extra.host.hostname = format!("SHINSATSU-PC{n}");
        bundles.push(extra);
    }
    let input = tenken_report::ReportInput::new(
        cl,
        asmt,
        bundles,
        tenken_base::Lang::Ja,
        chrono::Utc::now(),
    );
    // warm-up (font parsing is cached after the first call)
    let _ = tenken_report::render_pdf(&input)?;
    let runs = 5;
    let start = Instant::now();
    let mut pdf = Vec::new();
    for _ in 0..runs {
        pdf = tenken_report::render_pdf(&input)?;
    }
    let per = start.elapsed() / runs;
    let pages = lopdf::Document::load_mem(&pdf)?.get_pages().len();
    println!(
        "report_bench: {pages} pages, {} bytes ({:.1} KB/page), {:.1} ms per report (mean of {runs})",
        pdf.len(),
        pdf.len() as f64 / 1024.0 / pages.max(1) as f64,
        per.as_secs_f64() * 1000.0
    );
    // Signing with a per-installation key (created once in a temporary data dir).
    let dir = std::env::temp_dir().join(format!("tenken-bench-{}", std::process::id()));
    let keys = tenken_sign::keystore::KeyStore::open(&dir);
    let signer = keys.signer("ベンチマーク診療所")?;
    let opts = tenken_sign::pades::SignOptions::default();
    let start = Instant::now();
    let mut signed = Vec::new();
    for _ in 0..runs {
        signed = tenken_sign::pades::sign_pdf(&pdf, signer.as_ref(), &opts)?;
    }
    let sign_per = start.elapsed() / runs;
    println!(
        "report_bench: signing {:.1} ms per report, signed size {} bytes (+{} bytes), total {:.1} ms",
        sign_per.as_secs_f64() * 1000.0,
        signed.len(),
        signed.len() - pdf.len(),
        (per + sign_per).as_secs_f64() * 1000.0
    );
    let _ = std::fs::remove_dir_all(&dir);
    if let Some(out) = std::env::args().nth(1) {
        std::fs::write(out, &signed)?;
    }
    Ok(())
}
