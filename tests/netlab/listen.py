#!/usr/bin/env python3
"""Lab TCP listeners (inside a LAN-host namespace only): accept on the given ports, log each
connection's time, peer and how many bytes the peer sent before closing, as JSON lines."""
import json, selectors, socket, sys, threading, time

log_path, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
lock = threading.Lock()
sel = selectors.DefaultSelector()
for p in ports:
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", p)); s.listen(64); s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, p)

def drain(c, peer, port, t):
    c.settimeout(2)
    got = 0
    head = b""
    try:
        while True:
            d = c.recv(4096)
            if not d: break
            if not head: head = d[:200]
            got += len(d)
    except OSError:
        pass
    c.close()
    # What was sent first: the request line of a plain-text request, or "tls" for a handshake.
    first = "tls" if head[:1] == b"\x16" else head.split(b"\r\n")[0].decode("latin-1")
    with lock, open(log_path, "a") as f:
        f.write(json.dumps({"t": t, "port": port, "peer": peer[0], "received": got, "first": first}) + "\n")

with open(log_path, "a") as f:
    f.write(json.dumps({"ready": True}) + "\n")
while True:
    for key, _ in sel.select():
        try:
            c, peer = key.fileobj.accept()
        except OSError:
            continue
        threading.Thread(target=drain, args=(c, peer, key.data, time.time()), daemon=True).start()
