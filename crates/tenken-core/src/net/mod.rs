//! Consent-scoped network checks: gateway reachability, router admin exposure, UPnP, double NAT
//! and the LAN port check. Nothing here runs unless the user enabled it with an explicit scope.
