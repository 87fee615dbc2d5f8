//! Runs the consented LAN port check (and optionally the gateway checks) and prints the findings
//! as JSON lines `host port state` for the network bench (`tests/netlab/bench.sh`).
//!
//! Usage: `lan_check [--network] [--rate N] [--never-touch X]... TARGET...`

use tenken_net::{self as net, NeverTouch, RunOptions, Scope};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut network = false;
    let mut rate = net::scope::DEFAULT_RATE;
    let mut nt = NeverTouch::default();
    let mut targets = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--network" => network = true,
            "--rate" => rate = args.next().ok_or("--rate needs a value")?.parse()?,
            "--never-touch" => nt.add(&args.next().ok_or("--never-touch needs a value")?)?,
            _ => targets.push(a),
        }
    }
    let scope = Scope::new(network, &targets, nt, rate)?;
    let (obs, findings) = net::run_blocking(&scope, &RunOptions::default())?;
    eprint!("{}", net::render_text(&findings, tenken_base::Lang::Ja));
    for h in &obs.lan {
        for p in &h.ports {
            println!(
                "{} {} {}",
                h.addr,
                p.port,
                serde_json::to_string(&p.state)?.trim_matches('"')
            );
        }
    }
    Ok(())
}
