# A Python debuggee for the IDE-path e2e tests (run under debugpy with `ext`'s environment):
#   debuggee.py URL ENV_NAME PORT
# prints one JSON line {"get": <body of GET URL>, "env": <$ENV_NAME>}, then serves HTTP on PORT
# (answering {"from": "local-python-debuggee", "path": …}) and prints "serving".
import http.server, json, os, sys, urllib.request

url, name, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
body = urllib.request.urlopen(url, timeout=20).read().decode()
print(json.dumps({"get": body, "env": os.environ.get(name, "")}), flush=True)

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        print(f"got {self.path} from {self.client_address[0]}", flush=True)
        out = json.dumps({"from": "local-python-debuggee", "path": self.path}).encode()
        self.send_response(200)
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    def log_message(self, *args):
        pass

server = http.server.HTTPServer(("0.0.0.0", port), Handler)
print("serving", flush=True)
server.serve_forever()
