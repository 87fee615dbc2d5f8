//! TCP connect checks with a global rate limit, per-device pacing (a few connections at a time,
//! a bounded rate per device), bounded concurrency and RTT-adaptive timeouts. Only the three-way
//! handshake happens; the connection is closed at once without sending data.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::atomic::{AtomicUsize, Ordering};
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
/// Timeout before any RTT is known for a device proven to be on this PC's segment (it answered
/// ARP): such a device answers a connect within milliseconds, so waiting longer only slows the
/// check of a firewalled device (nmap `-T4` waits 100 ms at least).
pub const ON_LINK_TIMEOUT: Duration = Duration::from_millis(300);

/// Upper bound of the adaptive timeout.
pub const MAX_TIMEOUT: Duration = Duration::from_millis(1500);

/// At most this many connections in flight to one device (fragile modalities and old embedded
/// stacks see only a few at a time, however fast the whole check runs).
pub const PER_HOST_CONCURRENCY: usize = 3;

/// At most this many new connections per second to one device (lower when the global rate is).
pub const PER_HOST_RATE: u32 = 20;

/// Connections in flight during host discovery (most go to empty addresses, where only the
/// neighbour request is sent).
pub const DISCOVERY_CONCURRENCY: usize = 128;

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

/// Pacing of one device: its own semaphore and rate, and how many connections were in flight.
#[derive(Debug)]
struct HostGate {
    sem: Arc<Semaphore>,
    limiter: RateLimiter,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// Shared state of one connect run.
#[derive(Debug)]
pub struct Connector {
    limiter: RateLimiter,
    sem_scan: Arc<Semaphore>,
    discovery_sem: Arc<Semaphore>,
    per_host_rate: u32,
    hosts: Mutex<HashMap<Ipv4Addr, Arc<HostGate>>>,
    rtts: Mutex<HashMap<Ipv4Addr, Duration>>,
    on_link: Mutex<std::collections::HashSet<Ipv4Addr>>,
    never_touch: NeverTouch,
}

/// A place among the connects in flight of the whole run (and, for discovery, a rate slot
/// already taken): see [`Connector::discovery_ticket`].
#[derive(Debug)]
pub struct DiscoveryTicket {
    _permit: tokio::sync::OwnedSemaphorePermit,
}

/// A place among one device's exchanges in flight (see [`Connector::host_slot`]); released
/// when dropped.
pub struct HostSlot {
    _permit: tokio::sync::OwnedSemaphorePermit,
    _in_flight: InFlight,
}

impl std::fmt::Debug for HostSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HostSlot")
    }
}

/// Decrements a device's in-flight count when a connect ends (also when it is cancelled).
struct InFlight(Arc<HostGate>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Connector {
    /// A connector with the given global rate, concurrency and never-touch list; each device is
    /// paced to [`PER_HOST_CONCURRENCY`] connections at a time and `min(rate, PER_HOST_RATE)`
    /// new connections per second.
    pub fn new(rate: u32, concurrency: usize, never_touch: NeverTouch) -> Arc<Self> {
        Arc::new(Self {
            limiter: RateLimiter::new(rate),
            sem_scan: Arc::new(Semaphore::new(concurrency.max(1))),
            discovery_sem: Arc::new(Semaphore::new(DISCOVERY_CONCURRENCY)),
            per_host_rate: rate.clamp(1, PER_HOST_RATE),
            hosts: Mutex::new(HashMap::new()),
            rtts: Mutex::new(HashMap::new()),
            on_link: Mutex::new(std::collections::HashSet::new()),
            never_touch,
        })
    }

    /// Notes (when `yes`) that `ip` answered ARP: until an RTT is known, its connects wait
    /// [`ON_LINK_TIMEOUT`] instead of [`INITIAL_TIMEOUT`].
    pub fn mark_on_link_if(&self, yes: bool, ip: Ipv4Addr) {
        if yes {
            match self.on_link.lock() {
                Ok(mut s) => s.insert(ip),
                Err(p) => p.into_inner().insert(ip),
            };
        }
    }

    fn timeout_for(&self, ip: Ipv4Addr) -> Duration {
        match self.max_rtt(ip) {
            Some(r) => adaptive_timeout(Some(r)),
            None => {
                let on_link = match self.on_link.lock() {
                    Ok(s) => s.contains(&ip),
                    Err(p) => p.into_inner().contains(&ip),
                };
                if on_link {
                    ON_LINK_TIMEOUT
                } else {
                    INITIAL_TIMEOUT
                }
            }
        }
    }

    /// The per-device rate in use (new connections per second).
    pub fn per_host_rate(&self) -> u32 {
        self.per_host_rate
    }

    fn gate(&self, ip: Ipv4Addr) -> Arc<HostGate> {
        let mut m = match self.hosts.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        Arc::clone(m.entry(ip).or_insert_with(|| {
            Arc::new(HostGate {
                sem: Arc::new(Semaphore::new(PER_HOST_CONCURRENCY)),
                limiter: RateLimiter::new(self.per_host_rate),
                in_flight: AtomicUsize::new(0),
                max_in_flight: AtomicUsize::new(0),
            })
        }))
    }

    /// The highest number of connections that were in flight to any one device so far.
    pub fn max_in_flight_per_host(&self) -> usize {
        let m = match self.hosts.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        m.values()
            .map(|g| g.max_in_flight.load(Ordering::SeqCst))
            .max()
            .unwrap_or(0)
    }

    /// Takes a place among `ip`'s connections in flight and a slot of its rate and of the global
    /// rate, for an exchange that is not a port check (an admin-page read, an SNMP request): the
    /// per-device pacing covers everything sent to a device. `None` for never-touch addresses.
    pub async fn host_slot(&self, ip: Ipv4Addr) -> Option<HostSlot> {
        if self.never_touch.contains(ip) {
            return None;
        }
        let gate = self.gate(ip);
        let permit = Arc::clone(&gate.sem).acquire_owned().await.ok()?;
        gate.limiter.acquire().await;
        self.limiter.acquire().await;
        let now = gate.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        gate.max_in_flight.fetch_max(now, Ordering::SeqCst);
        Some(HostSlot {
            _permit: permit,
            _in_flight: InFlight(gate),
        })
    }

    /// Waits for a slot of `ip`'s rate and of the global rate, for a datagram that holds no
    /// connection on the device (SNMP). `false` for never-touch addresses (send nothing).
    pub async fn host_pace(&self, ip: Ipv4Addr) -> bool {
        if self.never_touch.contains(ip) {
            return false;
        }
        self.gate(ip).limiter.acquire().await;
        self.limiter.acquire().await;
        true
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

    /// Connects once to `ip:port` (paced) and classifies the result. Returns `None` without
    /// sending anything when `ip` is on the never-touch list.
    pub async fn probe(&self, ip: Ipv4Addr, port: u16) -> Option<PortObs> {
        self.connect(ip, port, None).await
    }

    /// Takes what one discovery connect needs from the whole run: a place among the discovery
    /// connects in flight and a slot of the global rate. One feeder takes tickets one after the
    /// other, so the light round never reserves the rate ahead of the port checks running beside
    /// it (they keep their share of every second).
    pub async fn discovery_ticket(&self) -> Option<DiscoveryTicket> {
        let permit = Arc::clone(&self.discovery_sem).acquire_owned().await.ok()?;
        self.limiter.acquire().await;
        Some(DiscoveryTicket { _permit: permit })
    }

    /// A discovery connect with its `ticket`: per-device pacing as always, the short
    /// [`super::discover::DISCOVERY_TIMEOUT`].
    pub async fn probe_discovery(
        &self,
        ip: Ipv4Addr,
        port: u16,
        ticket: DiscoveryTicket,
    ) -> Option<PortObs> {
        self.connect(ip, port, Some(ticket)).await
    }

    async fn connect(
        &self,
        ip: Ipv4Addr,
        port: u16,
        discovery: Option<DiscoveryTicket>,
    ) -> Option<PortObs> {
        if self.never_touch.contains(ip) {
            return None;
        }
        // Per device first (a slow device only holds its own slots), then the whole run.
        let gate = self.gate(ip);
        let _host_permit = gate.sem.acquire().await.ok()?;
        gate.limiter.acquire().await;
        let discovery_timeout = discovery
            .as_ref()
            .map(|_| super::discover::DISCOVERY_TIMEOUT);
        let _permit = match discovery {
            Some(ticket) => ticket,
            None => {
                let p = Arc::clone(&self.sem_scan).acquire_owned().await.ok()?;
                self.limiter.acquire().await;
                DiscoveryTicket { _permit: p }
            }
        };
        let now = gate.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        gate.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let _in_flight = InFlight(Arc::clone(&gate));
        let timeout = discovery_timeout.unwrap_or_else(|| self.timeout_for(ip));
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

    /// A device that stops answering (its accept queue is full, so the SYNs are dropped) sees
    /// at most PER_HOST_CONCURRENCY connections at a time and at most PER_HOST_RATE new ones
    /// per second, however high the global rate.
    #[tokio::test]
    async fn each_device_is_paced_on_its_own() {
        let sock = tokio::net::TcpSocket::new_v4().unwrap();
        sock.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let listener = sock.listen(1).unwrap();
        let port = listener.local_addr().unwrap().port();
        let c = Connector::new(500, 64, NeverTouch::default());
        let start = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..12 {
            let c = Arc::clone(&c);
            set.spawn(async move { c.probe(Ipv4Addr::LOCALHOST, port).await });
        }
        let mut states = Vec::new();
        while let Some(r) = set.join_next().await {
            states.push(r.unwrap().unwrap().state);
        }
        assert!(
            states.contains(&PortState::Filtered),
            "the full queue must leave connects hanging: {states:?}"
        );
        assert_eq!(c.max_in_flight_per_host(), PER_HOST_CONCURRENCY);
        // 12 new connections at 20/s: the last one starts no earlier than 11/20 s.
        assert!(
            start.elapsed() >= Duration::from_millis(540),
            "{:?}",
            start.elapsed()
        );
        drop(listener);
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
