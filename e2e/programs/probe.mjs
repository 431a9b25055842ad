// A Node program for end-to-end tests of `mirrord exec`:
//   probe.mjs get URL | env NAME | read PATH | serve PORT
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [mode, arg] = process.argv.slice(2);
if (mode === 'get') {
  http.get(arg, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => process.stdout.write(body));
  }).on('error', (e) => {
    console.error(e.message);
    process.exit(1);
  });
} else if (mode === 'env') {
  process.stdout.write(process.env[arg] ?? '');
} else if (mode === 'read') {
  process.stdout.write(readFileSync(arg, 'utf8'));
} else if (mode === 'serve') {
  http
    .createServer((req, res) => {
      console.log(`got ${req.url} from ${req.socket.remoteAddress}`);
      res.end(JSON.stringify({ from: 'local-node', peer: req.socket.remoteAddress, path: req.url }));
    })
    .listen(Number(arg), () => console.log('serving'));
}
