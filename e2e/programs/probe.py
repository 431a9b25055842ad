# A Python program for end-to-end tests of `mirrord exec`:
#   probe.py get URL | env NAME | read PATH | serve PORT
import http.server, json, os, sys, urllib.request

mode, arg = sys.argv[1], sys.argv[2]
if mode == "get":
    print(urllib.request.urlopen(arg, timeout=20).read().decode(), end="")
elif mode == "env":
    print(os.environ.get(arg, ""), end="")
elif mode == "read":
    print(open(arg).read(), end="")
elif mode == "serve":
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            print(f"got {self.path} from {self.client_address[0]}", flush=True)
            body = json.dumps({"from": "local-python", "peer": self.client_address[0], "path": self.path}).encode()
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass
    server = http.server.HTTPServer(("0.0.0.0", int(arg)), Handler)
    print("serving", flush=True)
    server.serve_forever()
