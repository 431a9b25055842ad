# An HTTP service debugged through the DAP suite (e2e/ide-dap.test.ts): dap-handler.py PORT ENV_NAME
# serves on PORT (printing "serving at=<ms since the epoch>"); each answer is {"from": "local-python-dap", "path", "header", "env"} where header
# is the request's x-mirrord-e2e and env is $ENV_NAME. The suite sets its breakpoint on the line
# marked "breakpoint" and reads `header` in the frame's locals.
import http.server, json, os, sys, time

port, env_name = int(sys.argv[1]), sys.argv[2]

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        header = self.headers.get("x-mirrord-e2e", "")
        out = json.dumps({"from": "local-python-dap", "path": self.path, "header": header, "env": os.environ.get(env_name, "")}).encode()  # breakpoint
        self.send_response(200)
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    def log_message(self, *args):
        pass

server = http.server.HTTPServer(("0.0.0.0", port), Handler)
print(f"serving at={int(time.time() * 1000)}", flush=True)
server.serve_forever()
