#!/usr/bin/env python3
"""Lab router services (runs inside the router namespace only): an HTTP admin login page on :80 (and HTTPS :443 with a self-signed certificate)
that also serves a UPnP IGD description and GetExternalIPAddress, a Telnet-like banner on :23, and
an SSDP responder announcing an InternetGatewayDevice. Every request is logged as a JSON line."""
import argparse, json, socket, struct, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--lan-ip", required=True)
ap.add_argument("--wan-ip", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--cert", help="PEM with key and self-signed certificate: also serve HTTPS on :443")
ap.add_argument("--title", default="Lab Router Login", help="<title> of the admin page")
ap.add_argument("--manufacturer", default="Fortinet", help="UPnP <manufacturer>")
ap.add_argument("--model", default="FortiGate-60E", help="UPnP <modelName>")
ap.add_argument("--model-number", default="v6.0.4,build0231", help="UPnP <modelNumber>")
ap.add_argument("--no-telnet", action="store_true", help="no Telnet-like service on :23")
args = ap.parse_args()
lock = threading.Lock()

def log(**kw):
    kw["t"] = time.time()
    with lock, open(args.log, "a") as f:
        f.write(json.dumps(kw) + "\n")

LOGIN = f"""<!DOCTYPE html><html><head><title>{args.title}</title></head><body>
<form method="post" action="/login"><input type="text" name="user">
<input type="password" name="pass"><input type="submit" value="Login"></form></body></html>""".encode()
DESC = """<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device>
<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><friendlyName>Lab IGD</friendlyName>
<manufacturer>""" + args.manufacturer + """</manufacturer><modelName>""" + args.model + """</modelName><modelNumber>""" + args.model_number + """</modelNumber>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><deviceList><device>
<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType><serviceList><service>
<serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
<controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL>
</service></serviceList></device></deviceList></device></deviceList></device></root>"""
SOAP = """<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>
<u:GetExternalIPAddressResponse xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1"><NewExternalIPAddress>{}</NewExternalIPAddress>
</u:GetExternalIPAddressResponse></s:Body></s:Envelope>"""

class H(BaseHTTPRequestHandler):
    server_version = "LabRouter/1.0"
    sys_version = ""
    def log_message(self, *a): pass
    def send(self, code, body, ctype):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        log(kind="http", method="GET", path=self.path, peer=self.client_address[0])
        if self.path == "/":
            self.send(200, LOGIN, "text/html; charset=utf-8")
        elif self.path == "/igd.xml":
            self.send(200, DESC.encode(), "text/xml")
        else:
            self.send(404, b"not found", "text/plain")
    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8", "replace")
        log(kind="http", method="POST", path=self.path, peer=self.client_address[0],
            soapaction=self.headers.get("SOAPAction"), body=body[:500])
        if self.path == "/ctl/IPConn" and "GetExternalIPAddress" in (self.headers.get("SOAPAction") or ""):
            self.send(200, SOAP.format(args.wan_ip).encode(), 'text/xml; charset="utf-8"')
        else:
            self.send(404, b"not found", "text/plain")

def telnet():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.lan_ip, 23)); s.listen(16)
    while True:
        c, peer = s.accept()
        def serve(c=c, peer=peer):
            c.settimeout(3)
            got = b""
            try:
                c.sendall(b"\xff\xfb\x01Lab Router\r\nlogin: ")
                while True:
                    d = c.recv(512)
                    if not d: break
                    got += d
            except OSError:
                pass
            log(kind="telnet", peer=peer[0], received=len(got))
            c.close()
        threading.Thread(target=serve, daemon=True).start()

def ssdp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", 1900))
    mreq = struct.pack("4s4s", socket.inet_aton("239.255.255.250"), socket.inet_aton(args.lan_ip))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    while True:
        data, peer = s.recvfrom(4096)
        text = data.decode("utf-8", "replace")
        log(kind="ssdp", peer=peer[0], request=text[:300])
        if text.startswith("M-SEARCH"):
            resp = ("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nEXT:\r\n"
                    f"LOCATION: http://{args.lan_ip}:80/igd.xml\r\nSERVER: Lab/1.0 UPnP/1.1 LabIGD/1.0\r\n"
                    "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                    "USN: uuid:00000000-0000-0000-0000-000000000077::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n")
            s.sendto(resp.encode(), peer)

if not args.no_telnet:
    threading.Thread(target=telnet, daemon=True).start()
threading.Thread(target=ssdp, daemon=True).start()
if args.cert:
    import ssl
    tls = ThreadingHTTPServer((args.lan_ip, 443), H)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert)
    tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
    threading.Thread(target=tls.serve_forever, daemon=True).start()
srv = ThreadingHTTPServer((args.lan_ip, 80), H)
log(kind="ready")
srv.serve_forever()
