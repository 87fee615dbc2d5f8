//! TCP connect checks with a global rate limit, bounded concurrency and RTT-adaptive timeouts.
//! Only the three-way handshake happens; the connection is closed at once without sending data.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

use super::obs::{HostObs, PortObs, PortState};
use super::scope::NeverTouch;

/// First timeout before any RTT of the host is known.
pub const INITIAL_TIMEOUT: Duration = Duration::from_millis(1000);
/// Lower bound of the adaptive timeout.
pub const MIN_TIMEOUT: Duration = Duration::from_millis(200);
/// Upper bound of the adaptive timeout.
pub const MAX_TIMEOUT: Duration = Duration::from_millis(1500);

/// Paces new connections to at most `rate` per second (no bursts: one slot every 1/rate s).
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// A limiter for `rate` events per second (`rate` >= 1).
    pub fn new(rate: u32) -> Self {
        Self {
            interval: Duration::from_secs_f64(1.0 / f64::from(rate.max(1))),
            next: Mutex::new(None),
        }
    }

    /// Waits for the next free slot.
    pub async fn acquire(&self) {
        let slot = {
            let mut next = match self.next.lock() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
            let now = Instant::now();
            let slot = match *next {
                Some(t) if t > now => t,
                _ => now,
            };
            *next = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(tokio::time::Instant::from_std(slot)).await;
    }
}

/// The timeout for the next attempt to a host, from the largest RTT seen so far:
/// 4 x RTT, clamped to [`MIN_TIMEOUT`, `MAX_TIMEOUT`]; [`INITIAL_TIMEOUT`] when none is known.
pub fn adaptive_timeout(max_rtt: Option<Duration>) -> Duration {
    match max_rtt {
        None => INITIAL_TIMEOUT,
        Some(r) => (r * 4).clamp(MIN_TIMEOUT, MAX_TIMEOUT),
    }
}

/// Shared state of one connect run.
#[derive(Debug)]
pub struct Connector {
    limiter: RateLimiter,
    sem: Semaphore,
    rtts: Mutex<HashMap<Ipv4Addr, Duration>>,
    never_touch: NeverTouch,
}

impl Connector {
    /// A connector with the given rate, concurrency and never-touch list.
    pub fn new(rate: u32, concurrency: usize, never_touch: NeverTouch) -> Arc<Self> {
        Arc::new(Self {
            limiter: RateLimiter::new(rate),
            sem: Semaphore::new(concurrency.max(1)),
            rtts: Mutex::new(HashMap::new()),
            never_touch,
        })
    }

    /// Waits for a rate slot before a non-scan exchange (HTTP GET, banner, SSDP, IGD query).
    pub async fn pace(&self) {
        self.limiter.acquire().await;
    }

    fn max_rtt(&self, ip: Ipv4Addr) -> Option<Duration> {
        match self.rtts.lock() {
            Ok(m) => m.get(&ip).copied(),
            Err(p) => p.into_inner().get(&ip).copied(),
        }
    }

    fn note_rtt(&self, ip: Ipv4Addr, rtt: Duration) {
        let mut m = match self.rtts.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        let e = m.entry(ip).or_insert(rtt);
        if rtt > *e {
            *e = rtt;
        }
    }

    /// Connects once to `ip:port` (rate-limited) and classifies the result. Returns `None`
    /// without sending anything when `ip` is on the never-touch list.
    pub async fn probe(&self, ip: Ipv4Addr, port: u16) -> Option<PortObs> {
        if self.never_touch.contains(ip) {
            return None;
        }
        let _permit = self.sem.acquire().await.ok()?;
        self.limiter.acquire().await;
        let timeout = adaptive_timeout(self.max_rtt(ip));
        let at = Utc::now();
        let start = Instant::now();
        let addr = SocketAddr::V4(SocketAddrV4::new(ip, port));
        let res = tokio::time::timeout(timeout, TcpStream::connect(addr)).await;
        let elapsed = start.elapsed();
        let (state, rtt, error) = match res {
            Ok(Ok(stream)) => {
                drop(stream);
                (PortState::Open, Some(elapsed), None)
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                (PortState::Closed, Some(elapsed), None)
            }
            Ok(Err(e)) => (PortState::Unreachable, None, Some(e.to_string())),
            Err(_) => (PortState::Filtered, None, None),
        };
        if let Some(r) = rtt {
            self.note_rtt(ip, r);
        }
        Some(PortObs {
            addr: ip,
            port,
            state,
            rtt_ms: rtt.map(|d| d.as_secs_f64() * 1000.0),
            timeout_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
            at,
            error,
        })
    }

    /// Checks every port on every host concurrently (within the rate and concurrency bounds).
    /// Never-touch hosts are skipped (no packet is sent to them).
    pub async fn scan(self: &Arc<Self>, hosts: &[Ipv4Addr], ports: &[u16]) -> Vec<HostObs> {
        let mut tasks = Vec::new();
        // Interleave hosts so one slow host does not hold the others back.
        for &port in ports {
            for &ip in hosts {
                let me = Arc::clone(self);
                tasks.push(tokio::spawn(async move { me.probe(ip, port).await }));
            }
        }
        let mut by_host: HashMap<Ipv4Addr, Vec<PortObs>> = HashMap::new();
        for t in tasks {
            if let Ok(Some(obs)) = t.await {
                by_host.entry(obs.addr).or_default().push(obs);
            }
        }
        let mut out = Vec::new();
        for &ip in hosts {
            let Some(mut ports_obs) = by_host.remove(&ip) else {
                continue;
            };
            let order = |p: u16| ports.iter().position(|q| *q == p).unwrap_or(usize::MAX);
            ports_obs.sort_by_key(|o| order(o.port));
            out.push(HostObs {
                addr: ip,
                ports: ports_obs,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn timeout_adapts_to_rtt_within_bounds() {
        assert_eq!(adaptive_timeout(None), INITIAL_TIMEOUT);
        assert_eq!(
            adaptive_timeout(Some(Duration::from_millis(1))),
            MIN_TIMEOUT
        );
        assert_eq!(
            adaptive_timeout(Some(Duration::from_millis(100))),
            Duration::from_millis(400)
        );
        assert_eq!(adaptive_timeout(Some(Duration::from_secs(3))), MAX_TIMEOUT);
    }

    #[tokio::test]
    async fn limiter_spaces_events() {
        let l = RateLimiter::new(20);
        let start = Instant::now();
        for _ in 0..6 {
            l.acquire().await;
        }
        // 6 events at 20/s: the last one no earlier than 5 * 50 ms.
        assert!(
            start.elapsed() >= Duration::from_millis(245),
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test]
    async fn loopback_open_closed_and_never_touch() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let open = listener.local_addr().unwrap().port();
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let c = Connector::new(100, 4, NeverTouch::default());
        let hosts = c.scan(&[Ipv4Addr::LOCALHOST], &[open, closed]).await;
        assert_eq!(hosts.len(), 1);
        assert_eq!(hosts[0].ports[0].state, PortState::Open);
        assert_eq!(hosts[0].ports[1].state, PortState::Closed);
        let nt = NeverTouch::parse("127.0.0.0/8").unwrap();
        let c = Connector::new(100, 4, nt);
        assert!(c.scan(&[Ipv4Addr::LOCALHOST], &[open]).await.is_empty());
    }
}
