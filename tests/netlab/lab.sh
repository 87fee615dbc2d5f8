#!/usr/bin/env bash
# Tenken network lab: builds (up) or removes (down) a set of network namespaces that exist only
# for one test run. Addresses 192.168.77.0/24 and 10.77.x.x live ONLY inside these namespaces;
# nothing is added to the root namespace (no addresses, no routes, no links).
#
#   lab.sh up   PREFIX STATE_DIR     build the lab, start services, write STATE_DIR/namespaces
#   lab.sh down PREFIX STATE_DIR     kill lab processes, delete the namespaces (idempotent)
#
# Topology (all names PREFIX-*):
#   sw      bridge br0 = the clinic LAN 192.168.77.0/24 (multicast snooping off)
#   clinic  192.168.77.10, default gw .1           (Tenken runs here)
#           dual-homed: also 10.88.0.10/24 on emr0 (an EMR network) with a static route
#           10.99.0.0/16 via 10.88.0.254 (a vendor's line); nothing answers there
#   router  192.168.77.1 / wan 10.77.1.2; NAT; HTTP login :80, HTTPS :443 (self-signed), Telnet :23, SSDP IGD
#   up      10.77.1.1 / wan 10.77.2.2; NAT again (= double NAT)
#   isp     10.77.2.1
#   h1 .21  SMB 445 + RDP 3389 listening
#   h2 .22  DICOM 104 + HL7 2575 listening
#   h3 .23  445 listening, everything else silently dropped (nftables)
#   h4 .24  never-touch: 445 listening, nftables counters of anything from the clinic
#   h5 .25  listens on every profile port, logs connection times (rate measurement)
#   h6 .26  a modality behind a strict firewall: only DICOM 104 answers, everything else (445 and
#           80 too) is silently dropped; discovery can find it only through ARP
#   h7 .27  a NAS-like device whose SNMP agent (Net-SNMP snmpd) answers the community "public"
#   h8 .28  a second way out: a vendor's LTE router (admin page "Aterm MR05LN", UPnP IGD,
#           forwarding on) besides the clinic's router
set -euo pipefail
cmd=${1:?up|down}; P=${2:?prefix}; STATE=${3:?state dir}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=$(command -v /usr/bin/python3 || command -v python3)
NSS="sw clinic router up isp h1 h2 h3 h4 h5 h6 h7 h8"
PROFILE_PORTS="445 139 3389 5900 5800 23 21 22 80 443 8080 1433 1521 3306 5432 104 11112 2575 5985 5986 9100 631 4443 8443 10443"

x() { local ns=$1; shift; ip netns exec "$P-$ns" "$@"; }

down() {
  for n in $NSS; do
    if ip netns list | grep -qw "$P-$n"; then
      for pid in $(ip netns pids "$P-$n" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    fi
  done
  sleep 0.2
  for n in $NSS; do
    if ip netns list | grep -qw "$P-$n"; then
      for pid in $(ip netns pids "$P-$n" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
      ip netns del "$P-$n" 2>/dev/null || true
    fi
  done
}

# member NS ADDR: plug namespace NS into the LAN bridge with ADDR/24 and default gw .1
member() {
  local n=$1 addr=$2
  ip link add e0 netns "$P-$n" type veth peer name "p$n" netns "$P-sw"
  x sw ip link set "p$n" master br0 up
  x "$n" ip addr add "$addr/24" dev e0
  x "$n" ip link set e0 up
}

up() {
  mkdir -p "$STATE"
  for n in $NSS; do ip netns add "$P-$n"; x "$n" ip link set lo up; done
  echo "$NSS" > "$STATE/namespaces"
  x sw ip link add br0 type bridge
  x sw ip link set br0 type bridge mcast_snooping 0
  x sw ip link set br0 up
  member router 192.168.77.1
  member clinic 192.168.77.10
  member h1 192.168.77.21
  member h2 192.168.77.22
  member h3 192.168.77.23
  member h4 192.168.77.24
  member h5 192.168.77.25
  member h6 192.168.77.26
  member h7 192.168.77.27
  member h8 192.168.77.28
  for n in clinic h1 h2 h3 h4 h5 h6 h7 h8; do x "$n" ip route add default via 192.168.77.1; done
  # The clinic PC is dual-homed: a second network (a veth pair whose far end has no address)
  # and a static route through it.
  x clinic ip link add emr0 type veth peer name emr0p
  x clinic ip link set emr0p up
  x clinic ip addr add 10.88.0.10/24 dev emr0
  x clinic ip link set emr0 up
  x clinic ip route add 10.99.0.0/16 via 10.88.0.254 dev emr0

  # router <-> up <-> isp, NAT twice
  ip link add wan netns "$P-router" type veth peer name lan netns "$P-up"
  x router ip addr add 10.77.1.2/30 dev wan; x router ip link set wan up
  x up ip addr add 10.77.1.1/30 dev lan; x up ip link set lan up
  ip link add wan netns "$P-up" type veth peer name lan netns "$P-isp"
  x up ip addr add 10.77.2.2/30 dev wan; x up ip link set wan up
  x isp ip addr add 10.77.2.1/30 dev lan; x isp ip link set lan up
  x router ip route add default via 10.77.1.1
  x up ip route add default via 10.77.2.1
  for n in router up; do
    x "$n" sysctl -qw net.ipv4.ip_forward=1
    x "$n" nft -f - <<NFT
table ip nat {
  chain post { type nat hook postrouting priority srcnat; oifname "wan" masquerade; }
}
NFT
  done

  # h3: a Windows-firewall-like host: only 445 answers, everything else is dropped silently
  x h3 nft -f - <<'NFT'
table inet fw {
  chain in { type filter hook input priority 0; policy drop;
    iifname "lo" accept; ct state established,related accept; tcp dport 445 accept; }
}
NFT
  # h6: a modality: only DICOM answers
  x h6 nft -f - <<'NFT'
table inet fw {
  chain in { type filter hook input priority 0; policy drop;
    iifname "lo" accept; ct state established,related accept; tcp dport 104 accept; }
}
NFT
  # h4: never-touch: count every IP packet from the clinic and every ARP request for h4
  x h4 nft -f - <<'NFT'
table inet watch {
  counter from_clinic { }
  chain in { type filter hook input priority -10; ip saddr 192.168.77.10 counter name "from_clinic"; }
}
table arp watch {
  counter arp_for_me { }
  chain in { type filter hook input priority -10; arp saddr ip 192.168.77.10 arp daddr ip 192.168.77.24 counter name "arp_for_me"; }
}
NFT

  # services (the router's self-signed certificate is generated per run)
  openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=lab-router -days 1 \
    -keyout "$STATE/router.pem" -out "$STATE/router.crt" 2>/dev/null
  cat "$STATE/router.crt" >>"$STATE/router.pem"
  x router "$PY" "$HERE/router.py" --lan-ip 192.168.77.1 --wan-ip 10.77.1.2 --log "$STATE/router.log" --cert "$STATE/router.pem" >"$STATE/router.out" 2>&1 &
  x h1 "$PY" "$HERE/listen.py" "$STATE/h1.log" 445 3389 >"$STATE/h1.out" 2>&1 &
  x h2 "$PY" "$HERE/listen.py" "$STATE/h2.log" 104 2575 >"$STATE/h2.out" 2>&1 &
  x h3 "$PY" "$HERE/listen.py" "$STATE/h3.log" 445 >"$STATE/h3.out" 2>&1 &
  x h4 "$PY" "$HERE/listen.py" "$STATE/h4.log" 445 >"$STATE/h4.out" 2>&1 &
  x h6 "$PY" "$HERE/listen.py" "$STATE/h6.log" 104 >"$STATE/h6.out" 2>&1 &
  # h7: Net-SNMP's agent, read-only community "public", its own configuration only (-C)
  cat >"$STATE/snmpd.conf" <<'SNMP'
rocommunity public default
sysDescr Linux nas-01 4.4.302+ #72806 SMP x86_64 (Lab NAS)
sysName nas-01
sysObjectID .1.3.6.1.4.1.8072.3.2.10
SNMP
  x h7 /usr/sbin/snmpd -f -C -c "$STATE/snmpd.conf" -Lf "$STATE/snmpd.out" -p "$STATE/snmpd.pid" \
    udp:192.168.77.27:161 >/dev/null 2>&1 &
  # h8: a vendor's LTE router: admin page, UPnP IGD, routing on
  x h8 sysctl -qw net.ipv4.ip_forward=1
  x h8 "$PY" "$HERE/router.py" --lan-ip 192.168.77.28 --wan-ip 10.88.0.2 --log "$STATE/h8.log" \
    --title "Aterm MR05LN" --manufacturer "NEC Platforms" --model "Aterm MR05LN" \
    --model-number "1.0.4" --no-telnet >"$STATE/h8.out" 2>&1 &
  # shellcheck disable=SC2086
  x h5 "$PY" "$HERE/listen.py" "$STATE/h5.log" $PROFILE_PORTS >"$STATE/h5.out" 2>&1 &
  for f in router h1 h2 h3 h4 h5 h6 h8; do
    for _ in $(seq 400); do grep -q ready "$STATE/$f.log" 2>/dev/null && break; sleep 0.05; done
    grep -q ready "$STATE/$f.log" 2>/dev/null || { echo "lab: $f did not start:"; cat "$STATE/$f.out"; exit 1; }
  done
  for _ in $(seq 200); do x h7 ss -uln 2>/dev/null | grep -q '192.168.77.27:161' && break; sleep 0.05; done
  x h7 ss -uln | grep -q '192.168.77.27:161' || { echo "lab: snmpd did not start:"; cat "$STATE/snmpd.out"; exit 1; }
}

case $cmd in
  up) trap 'rc=$?; if [ $rc -ne 0 ]; then down; fi; exit $rc' EXIT; up ;;
  down) down ;;
  counters) x h4 nft list counters ;;
  *) echo "usage: $0 up|down|counters PREFIX STATE_DIR" >&2; exit 2 ;;
esac
