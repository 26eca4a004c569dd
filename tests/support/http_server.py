#!/usr/bin/env python3
"""A small HTTP server on the loopback address for the data-fetch tests: serves the files of
ROOT with byte ranges, and misbehaves on request through the path:

  /files/NAME              NAME (a path below ROOT), honouring a Range header (206), as a real
                           server does
  /status/CODE/NAME        answers CODE with no body
  /drop/N/NAME             the first request sends N bytes of NAME and closes the connection
                           (its headers promise the whole file); later ones serve it whole
  /stall/NAME              sends the headers and 1 byte, then nothing until the client leaves

A request in a proxy's form (GET http://HOST/PATH) is served as PATH, and logged as
"proxied PATH": the server is then an HTTP proxy for any host.

It writes the port it listens on to PORT_FILE, and one line per request to ROOT/requests.log:
"PATH RANGE" (RANGE: the Range header or -).

  http_server.py ROOT PORT_FILE
"""
import http.server
import os
import re
import sys
import threading
import time

root, port_file = sys.argv[1], sys.argv[2]
drops_done = set()
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def log_request_line(self):
        with lock, open(os.path.join(root, "requests.log"), "a") as log:
            log.write(f"{self.path} {self.headers.get('Range', '-')}\n")

    def body_of(self, name):
        path = os.path.join(root, name)
        if ".." in name.split("/") or not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def send_body(self, data, offset=0, partial=False, limit=None):
        if partial:
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {offset}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(data) - offset))
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        chunk = data[offset:] if limit is None else data[offset:offset + limit]
        self.wfile.write(chunk)
        self.wfile.flush()

    def do_GET(self):
        proxied = re.match(r"https?://[^/]+(/.*)", self.path)
        if proxied:
            self.path = proxied.group(1)
            with lock, open(os.path.join(root, "requests.log"), "a") as log:
                log.write(f"proxied {self.path}\n")
        self.log_request_line()
        parts = self.path.strip("/").split("/")
        mode = parts[0]
        name = "/".join(parts[2:] if mode in ("status", "drop") else parts[1:])
        if mode == "status" and len(parts) >= 3:
            self.send_response(int(parts[1]))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = self.body_of(name)
        if data is None:
            self.send_error(404)
            return
        offset = 0
        ranged = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        if ranged and mode in ("files", "drop") and int(ranged.group(1)) < len(data):
            offset = int(ranged.group(1))
        elif ranged and int(ranged.group(1)) >= len(data):
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if mode == "files":
            self.send_body(data, offset, partial=offset > 0)
        elif mode == "drop" and len(parts) >= 3:
            with lock:
                first = self.path not in drops_done
                drops_done.add(self.path)
            if first:
                self.send_body(data, offset, partial=offset > 0, limit=int(parts[1]))
                self.close_connection = True
            else:
                self.send_body(data, offset, partial=offset > 0)
        elif mode == "stall":
            self.send_body(data, 0, limit=1)
            while True:
                time.sleep(0.2)
                try:
                    self.wfile.write(b"")
                    self.wfile.flush()
                except OSError:
                    return
        else:
            self.send_error(404)


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that leaves early (a cancelled or refused test) is expected


server = Server(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
