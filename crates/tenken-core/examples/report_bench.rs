//! Bench: renders the synthesised sample report and prints pages, size and time.
//! Run with `cargo run --release -p tenken-core --example report_bench [OUT.pdf]`.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (cl, asmt, bundles) = tenken_core::report::sample::input_parts();
    let input = tenken_core::report::ReportInput::new(
        cl,
        asmt,
        bundles,
        tenken_core::Lang::Ja,
        chrono::Utc::now(),
    );
    // warm-up (font parsing is cached after the first call)
    let _ = tenken_core::report::render_pdf(&input)?;
    let runs = 5;
    let start = Instant::now();
    let mut pdf = Vec::new();
    for _ in 0..runs {
        pdf = tenken_core::report::render_pdf(&input)?;
    }
    let per = start.elapsed() / runs;
    let pages = lopdf::Document::load_mem(&pdf)?.get_pages().len();
    println!(
        "report_bench: {pages} pages, {} bytes ({:.1} KB/page), {:.1} ms per report (mean of {runs})",
        pdf.len(),
        pdf.len() as f64 / 1024.0 / pages.max(1) as f64,
        per.as_secs_f64() * 1000.0
    );
    if let Some(out) = std::env::args().nth(1) {
        std::fs::write(out, &pdf)?;
    }
    Ok(())
}
