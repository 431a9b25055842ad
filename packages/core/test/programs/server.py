# A local HTTP server for incoming-traffic tests: answers with "local", the peer it saw and
# the x-mirrord header, and logs every request on stdout.
import http.server, json, sys

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"from": "local", "peer": self.client_address[0], "header": self.headers.get("x-mirrord")}).encode()
        print(f"got {self.path} from {self.client_address[0]}", flush=True)
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

# `server.py PORT [HOST ...]`: one listener per host (default 0.0.0.0), all on PORT.
import threading
hosts = sys.argv[2:] or ["0.0.0.0"]
servers = [http.server.HTTPServer((host, int(sys.argv[1])), Handler) for host in hosts]
for extra in servers[1:]:
    threading.Thread(target=extra.serve_forever, daemon=True).start()
print("serving", flush=True)
servers[0].serve_forever()
