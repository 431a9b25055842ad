// A Node debuggee for the IDE-path e2e tests (run with --inspect and `ext`'s environment):
//   debuggee.mjs URL ENV_NAME PORT
// prints one JSON line {"get": <body of GET URL>, "env": <$ENV_NAME>}, then serves HTTP on PORT
// (answering {"from": "local-node-debuggee", "path": …}) and prints "serving".
import http from 'node:http';

const [url, name, port] = process.argv.slice(2);
http
  .get(url, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => {
      console.log(JSON.stringify({ get: body, env: process.env[name] ?? '' }));
      http
        .createServer((req, res2) => {
          console.log(`got ${req.url} from ${req.socket.remoteAddress}`);
          res2.end(JSON.stringify({ from: 'local-node-debuggee', path: req.url }));
        })
        .listen(Number(port), () => console.log('serving'));
    });
  })
  .on('error', (e) => {
    console.error(e.message);
    process.exit(1);
  });
