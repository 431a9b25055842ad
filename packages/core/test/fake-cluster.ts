/**
 * A "cluster" made of one network namespace on this machine, for the layer's local
 * integration tests: the real agent (its built bundle) runs inside it next to a "service"
 * that only the namespace can reach (an address on its loopback, blackholed on the host), and
 * a fake container root whose /etc/hosts names that service. Everything is removed by
 * destroy(), also after a failed test.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const agentBundle = fileURLToPath(new URL('../../agent/dist/agent.js', import.meta.url));
const serviceScript = fileURLToPath(new URL('./fixtures/service.mjs', import.meta.url));

export const SERVICE_NAME = 'echo.fake.svc.cluster.local';
export const SERVICE_ONLY_VAR = 'FAKE_POD_ONLY_VAR';
/** A file only the fake pod's process sees (a bind mount in its private mount namespace). */
export const POD_ONLY_FILE = '/var/lib/mirrord-ts-fake-pod/only-in-pod.txt';
export const POD_ONLY_FILE_CONTENT = 'this file exists only in the fake pod\n';
/** The port the pod's app listens on (on the pod IP): what incoming tests steal and mirror. */
export const APP_PORT = 8080;

export class FakeCluster {
  readonly ns: string;
  readonly hostIp: string;
  readonly podIp: string;
  /** Only reachable from inside the namespace. */
  readonly serviceIp: string;
  readonly root: string;
  agentAddress = '';
  private readonly veth: string;
  private readonly subnet: string;
  private readonly serviceRange: string;
  private readonly children = new Set<ChildProcess>();

  private constructor(index: number) {
    this.ns = `mtsc${process.pid % 100000}i${index}`;
    this.veth = `mtsv${process.pid % 100000}${index}`.slice(0, 15);
    this.subnet = `10.216.${index}.0/24`;
    this.hostIp = `10.216.${index}.1`;
    this.podIp = `10.216.${index}.2`;
    this.serviceRange = `10.217.${index}.0/24`;
    this.serviceIp = `10.217.${index}.10`;
    this.root = mkdtempSync(join(tmpdir(), 'mirrord-fake-root-'));
  }

  static async start(index: number): Promise<FakeCluster> {
    const cluster = new FakeCluster(index);
    try {
      await cluster.setUp();
      return cluster;
    } catch (error) {
      cluster.destroy();
      throw error;
    }
  }

  private async setUp(): Promise<void> {
    // Nothing addressed to these ranges may leave the machine, veth or not.
    ip('route', 'replace', 'blackhole', this.subnet, 'metric', '4000');
    ip('route', 'replace', 'blackhole', this.serviceRange);
    ip('netns', 'add', this.ns);
    ip('link', 'add', this.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', this.ns);
    ip('addr', 'add', `${this.hostIp}/24`, 'dev', this.veth);
    ip('link', 'set', this.veth, 'up');
    this.exec('ip', ['link', 'set', 'lo', 'up']);
    this.exec('ip', ['addr', 'add', `${this.serviceIp}/32`, 'dev', 'lo']);
    this.exec('ip', ['addr', 'add', `${this.podIp}/24`, 'dev', 'eth0']);
    this.exec('ip', ['link', 'set', 'eth0', 'up']);
    mkdirSync(join(this.root, 'etc'), { recursive: true });
    writeFileSync(join(this.root, 'etc/hosts'), `127.0.0.1 localhost\n${this.serviceIp} ${SERVICE_NAME} echo\n`);
    writeFileSync(join(this.root, 'etc/resolv.conf'), 'search fake.svc.cluster.local svc.cluster.local\nnameserver 127.0.0.1\noptions ndots:5\n');
    const podFiles = join(this.root, 'pod-files');
    mkdirSync(podFiles);
    writeFileSync(join(podFiles, 'only-in-pod.txt'), POD_ONLY_FILE_CONTENT);
    mkdirSync(dirname(POD_ONLY_FILE), { recursive: true });
    // The service gets a private mount namespace in which the pod's files appear.
    const mount = `mount --bind ${podFiles} ${dirname(POD_ONLY_FILE)} && exec "$0" "$@"`;
    const service = this.spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', mount, process.execPath, serviceScript, `${this.serviceIp}:80`, `${this.podIp}:${APP_PORT}`], { [SERVICE_ONLY_VAR]: 'from-the-fake-pod' });
    await waitForLine(service, /listening/);
    const agent = this.spawn(process.execPath, [agentBundle, '--listen-host', this.podIp, '--port', '0', '--communication-timeout', '10', '--target-pid', String(service.pid), '--resolv-root', this.root], {});
    const ready = await waitForLine(agent, /"event":"ready"/);
    this.agentAddress = `${this.podIp}:${(JSON.parse(ready) as { port: number }).port}`;
  }

  exec(command: string, args: readonly string[]): string {
    return execFileSync('ip', ['netns', 'exec', this.ns, command, ...args], { encoding: 'utf8' });
  }

  private spawn(command: string, args: readonly string[], env: Record<string, string>): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.ns, command, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    return child;
  }

  destroy(): void {
    for (const child of this.children) if (child.pid && child.exitCode === null) tryKill(child.pid);
    for (const pid of this.pidsInside()) tryKill(pid);
    tryIp('netns', 'del', this.ns);
    tryIp('link', 'del', this.veth);
    tryIp('route', 'del', 'blackhole', this.subnet, 'metric', '4000');
    tryIp('route', 'del', 'blackhole', this.serviceRange);
    rmSync(this.root, { recursive: true, force: true });
  }

  private pidsInside(): number[] {
    try {
      return execFileSync('ip', ['netns', 'pids', this.ns], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms: ${output}`)), timeoutMs);
    const onData = (data: Buffer) => {
      output += data.toString();
      const line = output.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before printing ${pattern}: ${output}`));
    });
  });
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function tryIp(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    // already gone
  }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
