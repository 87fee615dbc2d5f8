//! Observations: what the network checks saw on the wire, recorded as data. Verdicts are computed
//! from these by the pure functions in [`super::eval`], so they can be recorded and replayed.

use std::net::Ipv4Addr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::scope::Scope;

/// Maximum bytes of a received response kept in an observation.
pub const RESPONSE_LIMIT: usize = 16 * 1024;

/// State of one TCP port after a connect attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortState {
    /// The connection was accepted (then closed at once, nothing sent).
    Open,
    /// The host answered with a reset (connection refused).
    Closed,
    /// No answer within the timeout (dropped by a firewall, or the host is off).
    Filtered,
    /// The network said the host is unreachable, or another local error.
    Unreachable,
}

/// One TCP connect attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortObs {
    /// Target address.
    pub addr: Ipv4Addr,
    /// Target port.
    pub port: u16,
    /// Result.
    pub state: PortState,
    /// Time to the answer (open or closed), milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rtt_ms: Option<f64>,
    /// Timeout used for this attempt, milliseconds.
    pub timeout_ms: u64,
    /// When the connect started.
    pub at: DateTime<Utc>,
    /// OS error text, when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// All connect attempts to one LAN host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostObs {
    /// Host address.
    pub addr: Ipv4Addr,
    /// One entry per profile port, in profile order.
    pub ports: Vec<PortObs>,
}

/// Result of the gateway reachability test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReachObs {
    /// `icmp` (echo) or `tcp` (connect to management ports).
    pub method: String,
    /// Whether the gateway answered.
    pub reachable: bool,
    /// Round-trip time, milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rtt_ms: Option<f64>,
    /// What was tried and what came back.
    pub detail: String,
    /// When the test started.
    pub started_at: DateTime<Utc>,
    /// When the test ended.
    pub ended_at: DateTime<Utc>,
}

/// One HTTP(S) GET of `/` on the gateway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HttpObs {
    /// URL requested.
    pub url: String,
    /// Status code, when a response came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `Server` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// `<title>` of the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Whether the page contains a password input.
    pub password_form: bool,
    /// Status line, headers and the start of the body (bounded by [`RESPONSE_LIMIT`]).
    pub raw: String,
    /// Error, when the request failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When the request started.
    pub started_at: DateTime<Utc>,
    /// When the request ended.
    pub ended_at: DateTime<Utc>,
}

/// Telnet / SSH banner read from an open port (nothing is sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BannerObs {
    /// Port.
    pub port: u16,
    /// Bytes received within a short wait, lossy UTF-8, bounded.
    pub banner: String,
}

/// One SSDP response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SsdpResponse {
    /// Sender `ip:port`.
    pub from: String,
    /// Raw response text (bounded).
    pub raw: String,
}

/// The SSDP M-SEARCH exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SsdpObs {
    /// The request sent to 239.255.255.250:1900.
    pub request: String,
    /// Responses received during the wait.
    pub responses: Vec<SsdpResponse>,
    /// Error, when sending failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When sending started.
    pub started_at: DateTime<Utc>,
    /// When the wait ended.
    pub ended_at: DateTime<Utc>,
}

/// Asking the gateway's IGD for its external address (UPnP `GetExternalIPAddress`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IgdObs {
    /// Device description URL (on the gateway).
    pub location: String,
    /// Description document (bounded).
    pub description: String,
    /// Control URL of the WAN connection service, when found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_url: Option<String>,
    /// Service type used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    /// SOAP response (bounded).
    #[serde(default)]
    pub soap_response: String,
    /// The external address the gateway reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_ip: Option<Ipv4Addr>,
    /// Error, when any step failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Everything observed about the default gateway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GatewayObs {
    /// Where the gateway address came from (e.g. `/proc/net/route`) and its raw text.
    pub source: String,
    /// Raw routing table text the gateway was read from (bounded).
    pub source_raw: String,
    /// The gateway address, when one was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Ipv4Addr>,
    /// Why the gateway was not contacted, when it was not (public address, never-touch, none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_contacted: Option<String>,
    /// Reachability test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<ReachObs>,
    /// Management port connects.
    #[serde(default)]
    pub ports: Vec<PortObs>,
    /// HTTP(S) GETs of open web ports.
    #[serde(default)]
    pub http: Vec<HttpObs>,
    /// Banners of open Telnet/SSH ports.
    #[serde(default)]
    pub banners: Vec<BannerObs>,
    /// SSDP discovery on the local segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssdp: Option<SsdpObs>,
    /// IGD query, when the gateway announced itself as an IGD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub igd: Option<IgdObs>,
}

/// Everything one network check run observed: the recorded form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observations {
    /// The consented scope the run used.
    pub scope: Scope,
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// When the run ended.
    pub ended_at: DateTime<Utc>,
    /// Gateway checks (None when `--network` was not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<GatewayObs>,
    /// How the LAN devices were found (None in recordings made before discovery existed: then
    /// every address in `lan` was port-checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery: Option<super::discover::DiscoveryObs>,
    /// LAN devices port-checked (with discovery: only the devices found).
    #[serde(default)]
    pub lan: Vec<HostObs>,
    /// What the devices found (and the router) said about themselves: web page, SNMP `public`,
    /// UPnP description.
    #[serde(default)]
    pub devices: Vec<super::identify::DeviceObs>,
}
