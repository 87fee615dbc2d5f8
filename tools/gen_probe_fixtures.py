#!/usr/bin/env python3
"""Writes the SYNTHESISED probe fixtures under crates/tenken-probe/tests/fixtures/<os>/<probe>/<case>/.

Every case directory holds raw output files named `<source key>.<ext>` (bytes exactly as a
command would print them: CP932, UTF-8 BOM, CLIXML noise ...) and `expect.json` with the verdict
the probe must give. Shapes follow /work/shared/reference/probes.md; values are invented ([SYN])
unless the note says otherwise. Re-record on real machines before trusting the parsers.
"""
import json, os, sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "crates", "tenken-probe", "tests", "fixtures")

def case(os_, probe, name, files, expect):
    d = os.path.join(ROOT, os_, probe, name)
    os.makedirs(d, exist_ok=True)
    for fname, data in files.items():
        if isinstance(data, (dict, list)):
            data = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(os.path.join(d, fname), "wb") as f:
            f.write(data)
    expect.setdefault("synthesised", True)
    with open(os.path.join(d, "expect.json"), "w") as f:
        json.dump(expect, f, ensure_ascii=False, indent=1)

BOM = b"\xef\xbb\xbf"
CLIXML = b"#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"><Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject</T></TN></Obj></Objs>\r\n"

def sock(proto, la, lp, state, pids=(), ra=None, rp=None):
    r = {"proto": proto, "local_addr": la, "local_port": lp, "state": state, "pids": list(pids)}
    if proto == "tcp":
        r["remote_addr"] = ra or ("0.0.0.0" if ":" not in la else "::")
        r["remote_port"] = rp or 0
    return r

def snap(sockets, procs, complete=True):
    return {"sockets": sockets, "processes": {str(k): {"name": v[0], "exe": v[1]} for k, v in procs.items()}, "pids_complete": complete}

# ---------------- Windows ----------------
fw_ok = {"profiles":[{"Name":"Domain","Enabled":"True","DefaultInboundAction":"NotConfigured","DefaultOutboundAction":"NotConfigured","AllowInboundRules":"NotConfigured"},{"Name":"Private","Enabled":"True","DefaultInboundAction":"Block","DefaultOutboundAction":"Allow","AllowInboundRules":"True"},{"Name":"Public","Enabled":"True","DefaultInboundAction":"Block","DefaultOutboundAction":"Allow","AllowInboundRules":"True"}],"connected":[{"InterfaceAlias":"イーサネット","InterfaceIndex":12,"NetworkCategory":"Private"}],"thirdParty":[]}
case("windows","firewall.host","ok_ja_bom_clixml",{"ps_firewall.json": CLIXML + BOM + json.dumps(fw_ok, ensure_ascii=True).encode()},
     {"verdict":"pass","note":"[DERIVED] probes.md windows/firewall_ok.json, with a UTF-8 BOM and a #< CLIXML progress record in front"})
fw_pub_off = json.loads(json.dumps(fw_ok)); fw_pub_off["profiles"][2]["Enabled"]="False"; fw_pub_off["connected"]={"InterfaceAlias":"Wi-Fi","InterfaceIndex":7,"NetworkCategory":"Public"}
fw_pub_off["thirdParty"]={"displayName":"ESET Firewall","productState":266256}
case("windows","firewall.host","public_off_third_party",{"ps_firewall.json": fw_pub_off},{"verdict":"warn","note":"[SYN] one-element connected/thirdParty given as objects, not arrays"})
fw_pub_off2 = json.loads(json.dumps(fw_pub_off)); fw_pub_off2["thirdParty"]=[]
case("windows","firewall.host","public_off",{"ps_firewall.json": fw_pub_off2},{"verdict":"fail"})
case("windows","firewall.host","raw_ints",{"ps_firewall.json":[{"Name":"Domain","Enabled":1,"DefaultInboundAction":0,"DefaultOutboundAction":0,"AllowInboundRules":2},{"Name":"Private","Enabled":1,"DefaultInboundAction":4,"DefaultOutboundAction":2,"AllowInboundRules":1},{"Name":"Public","Enabled":0,"DefaultInboundAction":4,"DefaultOutboundAction":2,"AllowInboundRules":1}]},
     {"verdict":"fail","note":"[DERIVED] probes.md windows/firewall_raw_ints.json (enums as integers, bare array)"})
netsh_ja = "\r\nドメイン プロファイル 設定:\r\n----------------------------------------------------------------------\r\n状態                                  オン\r\n\r\nプライベート プロファイル 設定:\r\n----------------------------------------------------------------------\r\n状態                                  オン\r\n\r\nパブリック プロファイル 設定:\r\n----------------------------------------------------------------------\r\n状態                                  オン\r\nOK\r\n"
case("windows","firewall.host","netsh_fallback_cp932",{"ps_firewall.json": {"profiles":{"error":"サービスが開始されていません","type":"Microsoft.Management.Infrastructure.CimException"},"connected":[],"thirdParty":[]},
     "netsh_state.txt": netsh_ja.encode("cp932")},{"verdict":"pass","note":"[SYN] Get-NetFirewallProfile failed; netsh output in CP932 with Japanese labels"})
case("windows","firewall.host","unparsable",{"ps_firewall.txt": "Get-NetFirewallProfile : アクセスが拒否されました。".encode("cp932"), "netsh_state.txt": b""},{"verdict":"unknown","reason":"unparsable"})

sc2_on = {"av":[{"displayName":"Windows Defender","productState":397568,"pathToSignedProductExe":"windowsdefender://","timestamp":"Tue, 01 Jul 2025 08:16:52 GMT"}]}
md_normal = {"AMRunningMode":"Normal","AMServiceEnabled":True,"AntivirusEnabled":True,"RealTimeProtectionEnabled":True,"AntivirusSignatureVersion":"1.413.102.0","AntivirusSignatureAge":1,"AntivirusSignatureLastUpdated":"2024-06-04T08:06:27.0000000Z","DefenderSignaturesOutOfDate":False,"AMProductVersion":"4.18.24050.7"}
case("windows","antivirus.status","defender_on",{"ps_antivirus.json": BOM + json.dumps({**sc2_on, "defender": md_normal, "services": []}).encode()},
     {"verdict":"pass","now":"2024-06-05T00:00:00Z","note":"[DERIVED] probes.md sc2_defender_on + mpstatus_normal"})
case("windows","antivirus.status","defender_signatures_5_days",{"ps_antivirus.json": {**sc2_on, "defender": {**md_normal, "AntivirusSignatureLastUpdated":"2024-05-30T08:00:00Z","AntivirusSignatureAge":5}, "services": []}},
     {"verdict":"warn","now":"2024-06-04T09:00:00Z"})
case("windows","antivirus.status","third_party_on_defender_off",{"ps_antivirus.json": {"av":[{"displayName":"Windows Defender","productState":393472},{"displayName":"AVG Antivirus","productState":266240}],
     "defender":{"error":"0x800106ba","type":"Microsoft.Management.Infrastructure.CimException"},"services":{"Name":"AVGSvc","State":"Running","PathName":"C:\\Program Files\\AVG\\Antivirus\\AVGSvc.exe"}}},
     {"verdict":"pass","note":"[DERIVED] ParetoSecurity defender_test AVG 266240 / Defender 393472"})
case("windows","antivirus.status","all_off_or_expired",{"ps_antivirus.json": {"av":[{"displayName":"Windows Defender","productState":393472},{"displayName":"Old AV","productState":0x043000}],
     "defender":{"error":"0x800106ba","type":"x"},"services":[]}},{"verdict":"fail","note":"[SYN] 0x3000 Expired must not count as on"})
case("windows","antivirus.status","server2022_defender",{"ps_antivirus.json": CLIXML + json.dumps({"av":{"error":"無効な名前空間です","type":"Microsoft.Management.Infrastructure.CimException"},
     "defender":{**md_normal,"AntivirusSignatureLastUpdated":"/Date(1717234835000)/"},"services":[]}).encode()},
     {"verdict":"pass","now":"2024-06-03T00:00:00Z","note":"[SYN] Windows Server: no SecurityCenter2 (Japanese error text), Defender Normal, PS 5.1 /Date()/ form"})
case("windows","antivirus.status","server_passive_nothing_found",{"ps_antivirus.json": {"av":{"error":"Invalid namespace","type":"x"},"defender":{**md_normal,"AMRunningMode":"Passive Mode"},"services":[]}},
     {"verdict":"unknown","reason":"not_installed","note":"[SYN] Server, Defender passive, no known AV service: cannot be sure"})

def winsnap(extra):
    base = [sock("tcp","0.0.0.0",135,"LISTEN",[1048]), sock("tcp","127.0.0.1",5939,"LISTEN",[3312])]
    return snap(base + extra, {1048:("svchost.exe",None),3312:("TeamViewer_Service.exe","C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe"),4:("System",None),1200:("svchost.exe",None),8840:("msedge.exe","C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"),2216:("svchost.exe",None),5100:("winvnc.exe","C:\\Program Files\\uvnc bvba\\UltraVNC\\winvnc.exe")})
case("windows","ports.listening","rdp_smb_exposed",{"sockets.json": winsnap([sock("tcp","0.0.0.0",445,"LISTEN",[4]), sock("tcp","::",445,"LISTEN",[4]), sock("tcp","0.0.0.0",3389,"LISTEN",[1200]), sock("udp","0.0.0.0",5353,"UNCONN",[2216])])},{"verdict":"warn"})
case("windows","ports.listening","vnc_exposed",{"sockets.json": winsnap([sock("tcp","0.0.0.0",5900,"LISTEN",[5100])])},{"verdict":"fail"})
case("windows","ports.listening","loopback_only",{"sockets.json": winsnap([sock("tcp","127.0.0.1",3389,"LISTEN",[1200]), sock("tcp","192.168.10.21",50512,"ESTABLISHED",[8840],"52.113.194.132",443)])},{"verdict":"pass","note":"[SYN] risky port bound to loopback only"})
case("windows","net.peers","teamviewer_session",{"sockets.json": winsnap([sock("tcp","192.168.10.21",50600,"ESTABLISHED",[3312],"217.146.13.135",5938)])},{"verdict":"warn"})
case("windows","net.peers","browser_only",{"sockets.json": winsnap([sock("tcp","192.168.10.21",50512,"ESTABLISHED",[8840],"52.113.194.132",443)])},{"verdict":"pass"})

two_nics = {"defaultRoutes":[{"Prefix":"0.0.0.0/0","NextHop":"192.168.10.1","IfIndex":12,"IfAlias":"イーサネット","RouteMetric":0},{"Prefix":"0.0.0.0/0","NextHop":"192.168.1.1","IfIndex":18,"IfAlias":"イーサネット 2","RouteMetric":0}],
 "adapters":[{"IfIndex":12,"Name":"イーサネット","Description":"Intel(R) Ethernet Connection I219-LM","Status":"Up","Mac":"3C-52-82-11-22-33","Virtual":False},{"IfIndex":18,"Name":"イーサネット 2","Description":"Realtek USB GbE Family Controller","Status":"Up","Mac":"00-E0-4C-44-55-66","Virtual":False}],
 "addresses":[{"IfIndex":12,"Address":"192.168.10.21","Prefix":24,"Family":"IPv4"},{"IfIndex":18,"Address":"192.168.1.34","Prefix":24,"Family":"IPv4"}],
 "dns":[{"IfIndex":12,"Family":"IPv4","Servers":["192.168.10.1"]},{"IfIndex":18,"Family":"IPv4","Servers":"192.168.1.1"}],"forwarding":[],"ipEnableRouter":0,"neighbors":[{"IfIndex":12,"Address":"192.168.10.1","Mac":"00-11-22-33-44-55","State":"Reachable"}]}
case("windows","net.gateway","two_nics",{"ps_network.json": two_nics},{"verdict":"warn","note":"[DERIVED] probes.md windows/network_two_nics.json (Japanese adapter names, one-element Servers as scalar)"})
fwd = json.loads(json.dumps(two_nics)); fwd["ipEnableRouter"]=1
case("windows","net.gateway","two_nics_router",{"ps_network.json": fwd},{"verdict":"fail"})
one = {"defaultRoutes":{"Prefix":"0.0.0.0/0","NextHop":"192.168.10.1","IfIndex":12,"IfAlias":"イーサネット","RouteMetric":0},
 "adapters":[two_nics["adapters"][0],{"IfIndex":30,"Name":"vEthernet (Default Switch)","Description":"Hyper-V Virtual Ethernet Adapter","Status":"Up","Mac":"00-15-5D-00-00-01","Virtual":True}],
 "addresses":[{"IfIndex":12,"Address":"192.168.10.21","Prefix":24,"Family":"IPv4"},{"IfIndex":30,"Address":"172.20.0.1","Prefix":20,"Family":"IPv4"}],"dns":{"IfIndex":12,"Family":"IPv4","Servers":["192.168.10.1"]},"forwarding":None,"ipEnableRouter":None,"neighbors":[]}
case("windows","net.gateway","single_nic_hyperv",{"ps_network.json": BOM + json.dumps(one).encode()},{"verdict":"pass","note":"[SYN] Hyper-V vEthernet is listed but not counted; nulls"})

# ---------------- macOS ----------------
case("macos","firewall.host","on",{"socketfilterfw.txt":"Firewall is enabled. (State = 1)\n"},{"verdict":"pass","note":"[SRC] kolide.com line 1"})
case("macos","firewall.host","off",{"socketfilterfw.txt":"Firewall is disabled. (State = 0)\n"},{"verdict":"fail","note":"[SRC] Jamf EA string"})
case("macos","firewall.host","garbled",{"socketfilterfw.txt":"usage: socketfilterfw ...\n"},{"verdict":"unknown","reason":"unparsable"})
case("macos","antivirus.status","xprotect_recent",{"xprotect_version.txt":"5322\n","xprotect_mtime.txt":"1717200000\n"},{"verdict":"pass","now":"2024-06-05T00:00:00Z"})
case("macos","antivirus.status","xprotect_old",{"xprotect_version.txt":"5270\n","xprotect_mtime.txt":"1713000000\n"},{"verdict":"warn","now":"2024-06-05T00:00:00Z"})
case("macos","antivirus.status","xprotect_missing",{"xprotect_version.txt":"","xprotect_mtime.txt":""},{"verdict":"unknown","reason":"not_installed","exit_codes":{"xprotect_version":1,"xprotect_mtime":1},"stderr":{"xprotect_version":"Domain ... does not exist"}})
mac_ns = "Active Internet connections (including servers)\nProto Recv-Q Send-Q  Local Address          Foreign Address        (state)    \ntcp4       0      0  192.168.1.23.51544     17.57.146.20.5223      ESTABLISHED\ntcp4       0      0  *.5900                 *.*                    LISTEN     \ntcp6       0      0  *.5900                 *.*                    LISTEN     \ntcp4       0      0  127.0.0.1.631          *.*                    LISTEN     \n"
case("macos","ports.listening","screen_sharing_netstat",{"sockets.json": snap([], {}, False), "netstat_tcp.txt": mac_ns},{"verdict":"fail","note":"[SYN] non-root: libproc saw nothing, netstat shows *.5900"})
case("macos","ports.listening","cups_loopback",{"sockets.json": snap([sock("tcp","127.0.0.1",631,"LISTEN",[300])],{300:("cupsd","/usr/sbin/cupsd")}, False), "netstat_tcp.txt": "Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)\ntcp4       0      0  127.0.0.1.631          *.*                    LISTEN\n"},{"verdict":"pass"})
case("macos","ports.listening","incomplete_without_netstat",{"sockets.json": snap([], {}, False)},{"verdict":"unknown","reason":"needs_elevation","errors":{"netstat_tcp":"not_found"}})
case("macos","net.peers","screen_sharing_session",{"sockets.json": snap([sock("tcp","192.168.1.23",5900,"ESTABLISHED",[402],"192.168.1.50",53122)],{402:("screensharingd",None)}, True)},{"verdict":"warn","elevated":True})
case("macos","net.peers","apple_push_only",{"sockets.json": snap([sock("tcp","192.168.1.23",51544,"ESTABLISHED",[500],"17.57.146.20",5223)],{500:("apsd",None)}, False)},{"verdict":"pass"})
mac_rn = "Routing tables\n\nInternet:\nDestination        Gateway            Flags               Netif Expire\ndefault            192.168.1.1        UGScg                 en0       \n127                127.0.0.1          UCS                   lo0       \n192.168.1          link#6             UCS                   en0      !\n"
mac_if = "lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> mtu 16384\n\tinet 127.0.0.1 netmask 0xff000000\nen0: flags=8863<UP,BROADCAST,SMART,RUNNING,SIMPLEX,MULTICAST> mtu 1500\n\tether 3c:22:fb:11:22:33\n\tinet 192.168.1.23 netmask 0xffffff00 broadcast 192.168.1.255\n\tstatus: active\nen7: flags=8863<UP,BROADCAST,SMART,RUNNING,SIMPLEX,MULTICAST> mtu 1500\n\tether 00:e0:4c:68:00:01\n\tstatus: inactive\n"
mac_dns = "DNS configuration\n\nresolver #1\n  search domain[0] : clinic.local\n  nameserver[0] : 192.168.1.1\n  if_index : 6 (en0)\n"
case("macos","net.gateway","single_wifi",{"netstat_rn.txt":mac_rn,"ifconfig.txt":mac_if,"scutil_dns.txt":mac_dns,"ip_forwarding.txt":"0\n","arp.txt":"? (192.168.1.1) at 0:11:22:33:44:55 on en0 ifscope [ethernet]\n"},{"verdict":"pass"})
mac_if2 = mac_if.replace("\tstatus: inactive\n","\tinet 10.0.5.20 netmask 0xffffff00 broadcast 10.0.5.255\n\tstatus: active\n")
case("macos","net.gateway","usb_ethernet_second_network",{"netstat_rn.txt":mac_rn,"ifconfig.txt":mac_if2,"scutil_dns.txt":mac_dns,"ip_forwarding.txt":"0\n","arp.txt":""},{"verdict":"warn"})

# ---------------- Linux ----------------
ufw_active = "Status: active\nLogging: on (low)\nDefault: deny (incoming), allow (outgoing), disabled (routed)\nNew profiles: skip\n\nTo                         Action      From\n--                         ------      ----\n22                         ALLOW IN    Anywhere\n80/tcp                     ALLOW IN    Anywhere\n"
case("linux","firewall.host","ufw_active_root",{"systemctl_active.txt":"active\ninactive\ninactive\n","ufw_conf.txt":"ENABLED=yes\nLOGLEVEL=low\n","ufw_status.txt":ufw_active},{"verdict":"pass","elevated":True,"exit_codes":{"systemctl_active":3},"note":"[SRC] ufw status from hedeoer UfwStatusTest"})
case("linux","firewall.host","nothing_filters_root",{"systemctl_active.txt":"inactive\ninactive\ninactive\n","nft_ruleset.json":{"nftables":[{"metainfo":{"version":"1.0.6","release_name":"Lester Gooch #5","json_schema_version":1}}]},
     "iptables_input.txt":"Chain INPUT (policy ACCEPT)\nnum  target     prot opt source               destination         \n"},{"verdict":"fail","elevated":True,"exit_codes":{"systemctl_active":3},"errors":{"ufw_conf":"not_found","ufw_status":"not_found","firewalld_state":"not_found"}})
case("linux","firewall.host","nft_drop_root",{"systemctl_active.txt":"inactive\ninactive\nactive\n","nft_ruleset.json":{"nftables":[{"metainfo":{"version":"1.0.6","release_name":"Lester Gooch #5","json_schema_version":1}},{"table":{"family":"inet","name":"filter","handle":1}},{"chain":{"family":"inet","table":"filter","name":"input","handle":1,"type":"filter","hook":"input","prio":0,"policy":"drop"}}]}},
     {"verdict":"pass","elevated":True,"note":"[SYN] probes.md linux/nft_ruleset_drop.json"})
case("linux","firewall.host","tailscale_only_root",{"systemctl_active.txt":"inactive\ninactive\ninactive\n","iptables_input.txt":"Chain INPUT (policy ACCEPT)\nnum  target     prot opt source               destination         \n1    ts-input   all  --  0.0.0.0/0            0.0.0.0/0           \n"},
     {"verdict":"fail","elevated":True,"errors":{"nft_ruleset":"not_found"},"note":"[SRC] ParetoSecurity firewall_test ts-input case"})
case("linux","firewall.host","not_root",{"systemctl_active.txt":"inactive\ninactive\ninactive\n","nft_ruleset.txt":"","iptables_input.txt":""},
     {"verdict":"unknown","reason":"needs_elevation","elevated":False,"exit_codes":{"systemctl_active":3,"nft_ruleset":1,"iptables_input":4},
      "stderr":{"nft_ruleset":"Operation not permitted (you must be root)\nnetlink: Error: cache initialization failed: Operation not permitted\n","iptables_input":"iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n"},"errors":{"ufw_conf":"not_found","ufw_status":"not_found","firewalld_state":"not_found"}})
clam = b"ClamAV-VDB:06 Jul 2017 00-08 -0400:23538:1738781:63:X:X:neo:1499314127" + b"\0" * 20
case("linux","antivirus.status","clamav_fresh",{"clamav_daily_cld.bin": clam,"clamav_units.txt":"active\nactive\n"},{"verdict":"pass","now":"2017-07-07T10:00:00Z","errors":{"clamav_daily_cvd":"not_found","mdatp_health":"not_found"},"note":"[SRC] header from tommarshall/nagios-check-clamav-signatures"})
case("linux","antivirus.status","clamav_stale",{"clamav_daily_cvd.bin": clam,"clamav_units.txt":"inactive\ninactive\n"},{"verdict":"fail","now":"2017-08-10T00:00:00Z","exit_codes":{"clamav_units":3}})
case("linux","antivirus.status","no_antivirus",{"clamav_daily_cld.txt":"","clamav_daily_cvd.txt":"","clamav_units.txt":"inactive\ninactive\n"},{"verdict":"warn","exit_codes":{"clamav_daily_cld":1,"clamav_daily_cvd":1,"clamav_units":3},"stderr":{"clamav_daily_cld":"head: cannot open '/var/lib/clamav/daily.cld' for reading: No such file or directory\n"},"errors":{"mdatp_health":"not_found"},"note":"no AV on Linux is never a pass"})
lin = {640:("systemd-resolve","/usr/lib/systemd/systemd-resolved"),812:("sshd","/usr/sbin/sshd"),1500:("x11vnc","/usr/bin/x11vnc"),2100:("anydesk","/usr/bin/anydesk"),2200:("firefox-esr","/usr/lib/firefox-esr/firefox-esr")}
case("linux","ports.listening","vnc_and_ssh",{"sockets.json": snap([sock("tcp","127.0.0.53",53,"LISTEN",[640]),sock("tcp","0.0.0.0",22,"LISTEN",[812]),sock("tcp","::",22,"LISTEN",[812]),sock("tcp","0.0.0.0",5900,"LISTEN",[1500])], lin)},{"verdict":"fail","elevated":True})
case("linux","ports.listening","loopback_services",{"sockets.json": snap([sock("tcp","127.0.0.53",53,"LISTEN",[]),sock("udp","127.0.0.53",53,"UNCONN",[]),sock("tcp","::1",5432,"LISTEN",[]),sock("tcp","0.0.0.0",8080,"LISTEN",[])], {}, False)},{"verdict":"pass","note":"[SYN] non-root: no pids, still all sockets"})
case("linux","ports.listening","ssh_only",{"sockets.json": snap([sock("tcp","0.0.0.0",22,"LISTEN",[812])], lin)},{"verdict":"warn","elevated":True})
case("linux","net.peers","anydesk",{"sockets.json": snap([sock("tcp","192.168.10.30",40512,"ESTABLISHED",[2100],"::ffff:195.181.174.10",443)], lin)},{"verdict":"warn","elevated":True})
case("linux","net.peers","browser",{"sockets.json": snap([sock("tcp","192.168.10.30",40600,"ESTABLISHED",[2200],"93.184.215.14",443),sock("tcp","127.0.0.1",5432,"ESTABLISHED",[],"127.0.0.1",40000)], lin)},{"verdict":"pass","elevated":True})
case("linux","net.peers","not_root_unattributed",{"sockets.json": snap([sock("tcp","192.168.10.30",40700,"ESTABLISHED",[],"93.184.215.14",443)], {}, False)},{"verdict":"unknown","reason":"needs_elevation"})
route1 = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\nenp3s0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\nenp3s0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n"
ipj1 = [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"operstate":"UNKNOWN","link_type":"loopback","address":"00:00:00:00:00:00","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8}]},
        {"ifindex":2,"ifname":"enp3s0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"operstate":"UP","link_type":"ether","address":"3c:52:82:aa:bb:cc","addr_info":[{"family":"inet","local":"192.168.1.20","prefixlen":24},{"family":"inet6","local":"fe80::1","prefixlen":64}]},
        {"ifindex":3,"ifname":"docker0","flags":["BROADCAST","MULTICAST","UP"],"operstate":"DOWN","link_type":"ether","address":"02:42:00:00:00:01","addr_info":[{"family":"inet","local":"172.17.0.1","prefixlen":16}]}]
case("linux","net.gateway","single_nic",{"proc_net_route.txt":route1,"ip_addr.json":ipj1,"resolv_conf.txt":"nameserver 127.0.0.53\n","resolved_conf.txt":"nameserver 192.168.1.1\n","ip_forward.txt":"1\n","ip_neigh.txt":"192.168.1.1 dev enp3s0 lladdr 00:11:22:33:44:55 REACHABLE\n"},{"verdict":"pass","note":"[DERIVED] probes.md proc_net_route; forwarding on but one network (docker host)"})
ipj2 = ipj1 + [{"ifindex":4,"ifname":"enp4s0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"operstate":"UP","link_type":"ether","address":"00:e0:4c:11:22:33","addr_info":[{"family":"inet","local":"10.10.0.5","prefixlen":24}]}]
case("linux","net.gateway","dual_homed_forwarding",{"proc_net_route.txt":route1,"ip_addr.json":ipj2,"resolv_conf.txt":"nameserver 192.168.1.1\n","ip_forward.txt":"1\n","ip_neigh.txt":""},{"verdict":"fail","errors":{"resolved_conf":"not_found"}})
case("linux","net.gateway","dual_homed",{"proc_net_route.txt":route1,"ip_addr.json":ipj2,"resolv_conf.txt":"nameserver 192.168.1.1\n","ip_forward.txt":"0\n","ip_neigh.txt":""},{"verdict":"warn"})
case("linux","net.gateway","route_unreadable",{},{"verdict":"unknown","reason":"unparsable","errors":{"proc_net_route":"permission_denied"}})
print("ok")

# READMEs: one per <os>/<probe> directory, listing the cases and their provenance.
for os_ in ("windows", "macos", "linux"):
    for probe in sorted(os.listdir(os.path.join(ROOT, os_))):
        pdir = os.path.join(ROOT, os_, probe)
        lines = [f"# Fixtures: {probe} on {os_}", "",
                 "Generated by `tools/gen_probe_fixtures.py`. **All cases are SYNTHESISED** (shapes from",
                 "`probes.md`; [SRC]/[DERIVED] notes name the public source a value came from). Each case",
                 "directory holds raw outputs named `<source key>.<ext>` and `expect.json` (the verdict the",
                 "probe must give; asserted by `tests/probe_fixtures.rs`). Re-record on real machines.", "",
                 "| case | verdict | note |", "|---|---|---|"]
        for c in sorted(os.listdir(pdir)):
            e = os.path.join(pdir, c, "expect.json")
            if os.path.isfile(e):
                j = json.load(open(e))
                lines.append(f"| {c} | {j['verdict']}{'/' + j['reason'] if j.get('reason') else ''} | {j.get('note', '[SYN]')} |")
        open(os.path.join(pdir, "README.md"), "w").write("\n".join(lines) + "\n")
