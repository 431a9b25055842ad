/**
 * `pnpm cluster up`: installs what is missing, builds (or reuses) binaries and images, makes
 * the host safe (routes), boots etcd → containerd → API server → controllers → kubelet →
 * kube-proxy, applies CoreDNS and the test workloads, and waits until all of it answers.
 * Idempotent: a healthy cluster is left running; a broken or half-booted one is torn down first.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { Resolver } from "node:dns/promises";
import { ensureGoToolchain } from "./build/go-env.js";
import { ensureKubernetesBinary, linkComponents } from "./build/kubernetes.js";
import {
  COMPONENT_ORDER, kubectl, startApiServer, startContainerd, startControllers, startEtcd, startNodeAgents,
} from "./components.js";
import { CERT, writeCertificates } from "./config/certs.js";
import {
  CONFIG, KUBELET_RESOLV_CONF, cniConflist, containerdToml, kubeProxyConfig, kubeletConfig,
} from "./config/component-configs.js";
import { writeKubeconfig } from "./config/kubeconfig.js";
import { clusterDown } from "./down.js";
import { withClusterLock } from "./host/cluster-lock.js";
import { captureHostBefore } from "./host/host-before.js";
import { ensureDebianPackages } from "./host/packages.js";
import { isRunning, recordedDaemons } from "./host/processes.js";
import { installSafetyRoutes } from "./host/routes.js";
import { IMAGES, cachedImageArchive, clusterImageSpecs, importImage } from "./images.js";
import { clusterManifests, deploymentsToWaitFor } from "./manifests.js";
import { API_SERVICE_IP, CLUSTER_DOMAIN, DNS_SERVICE_IP, NODE_NAME } from "./network.js";
import { CNI_CONFIG_DIR, CONFIG_DIR, KUBECONFIG_PATH, STATE_DIR } from "./paths.js";
import { waitFor } from "./run.js";

export interface UpReport {
  /** False when a healthy cluster was already running and was reused. */
  booted: boolean;
  /** Seconds from the start of `up` until everything answered. */
  seconds: number;
  /** Seconds spent building or checking builds (0 s of compiling when warm). */
  buildSeconds: number;
}

function log(message: string): void {
  process.stderr.write(`cluster: ${message}\n`);
}

/** True when every component recorded is alive and the node is Ready. */
export async function clusterIsHealthy(): Promise<boolean> {
  const daemons = await recordedDaemons();
  if (daemons.length !== COMPONENT_ORDER.length || !daemons.every(isRunning)) return false;
  return (await nodeReadyStatus()) === "True";
}

async function nodeReadyStatus(): Promise<string | undefined> {
  const result = await kubectl(["get", "node", NODE_NAME, "-o", 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

async function writeConfigFiles(): Promise<void> {
  await mkdir(CONFIG_DIR, { recursive: true });
  await mkdir(CNI_CONFIG_DIR, { recursive: true });
  await writeCertificates();
  await writeKubeconfig(KUBECONFIG_PATH, "mirrord-ts-e2e-admin", CERT.adminCert, CERT.adminKey);
  await writeKubeconfig(CONFIG.kubeletKubeconfig, `system:node:${NODE_NAME}`, CERT.kubeletClientCert, CERT.kubeletClientKey);
  await writeFile(CONFIG.containerd, containerdToml(IMAGES.pause));
  await writeFile(CONFIG.cniConflist, cniConflist());
  await writeFile(CONFIG.kubelet, kubeletConfig());
  await writeFile(CONFIG.kubeletResolvConf, KUBELET_RESOLV_CONF);
  await writeFile(CONFIG.kubeProxy, kubeProxyConfig(KUBECONFIG_PATH));
}

async function applyWorkloads(): Promise<void> {
  const manifests = `${CONFIG_DIR}/cluster-manifests.json`;
  await writeFile(manifests, clusterManifests());
  const applied = await kubectl(["apply", "-f", manifests]);
  if (applied.code !== 0) throw new Error(`kubectl apply of the cluster's workloads failed: ${applied.stderr.trim()}`);
}

async function waitForWorkloads(): Promise<void> {
  for (const [namespace, name] of deploymentsToWaitFor()) {
    const rollout = await kubectl(["rollout", "status", `deployment/${name}`, "-n", namespace, "--timeout=180s"]);
    if (rollout.code !== 0) throw new Error(`Deployment ${namespace}/${name} did not become ready: ${rollout.stderr.trim()}`);
  }
}

/** Asks CoreDNS (through its ClusterIP, i.e. through kube-proxy) for the API server's name. */
export async function corednsAnswers(): Promise<boolean> {
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([DNS_SERVICE_IP]);
  const addresses = await resolver.resolve4(`kubernetes.default.svc.${CLUSTER_DOMAIN}`).catch((): string[] => []);
  return addresses.includes(API_SERVICE_IP);
}

export async function clusterUp(): Promise<UpReport> {
  return withClusterLock("cluster up", bootCluster);
}

async function bootCluster(): Promise<UpReport> {
  const started = Date.now();
  if (await clusterIsHealthy()) {
    log("cluster already running; making sure its workloads are applied and ready");
    await applyWorkloads();
    await waitForWorkloads();
    return { booted: false, seconds: (Date.now() - started) / 1000, buildSeconds: 0 };
  }
  if (existsSync(STATE_DIR)) {
    log("found a stopped or half-booted cluster; tearing it down first");
    await clusterDown();
  }
  await ensureDebianPackages();
  await ensureGoToolchain();
  await ensureKubernetesBinary();
  await linkComponents();
  const archives = await Promise.all((await clusterImageSpecs()).map(cachedImageArchive));
  const buildSeconds = (Date.now() - started) / 1000;
  log(`binaries and images ready after ${buildSeconds.toFixed(1)} s`);

  await mkdir(STATE_DIR, { recursive: true });
  await captureHostBefore();
  await installSafetyRoutes();
  await writeConfigFiles();
  await startEtcd();
  await startContainerd();
  for (const archive of archives) await importImage(archive);
  await startApiServer();
  await startControllers();
  await startNodeAgents();
  log("components started; waiting for the node");
  await waitFor(`node ${NODE_NAME} to become Ready`, 120_000, async () =>
    (await nodeReadyStatus()) === "True" ? true : undefined,
  );
  log(`node Ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await applyWorkloads();
  await waitForWorkloads();
  await waitFor("CoreDNS to answer through its ClusterIP", 60_000, async () => ((await corednsAnswers()) ? true : undefined));
  const seconds = (Date.now() - started) / 1000;
  log(`cluster up in ${seconds.toFixed(1)} s; kubeconfig: ${KUBECONFIG_PATH}`);
  return { booted: true, seconds, buildSeconds };
}
