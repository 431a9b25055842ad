/** Typed helpers over @kubernetes/client-node for the e2e suites, on the e2e cluster's kubeconfig. */
import * as k8s from "@kubernetes/client-node";
import { PassThrough, Writable } from "node:stream";
import { KUBECONFIG_PATH } from "../cluster/paths.js";
import { waitFor } from "../cluster/run.js";

export function kubeConfig(): k8s.KubeConfig {
  const config = new k8s.KubeConfig();
  config.loadFromFile(KUBECONFIG_PATH);
  return config;
}

export function coreApi(): k8s.CoreV1Api {
  return kubeConfig().makeApiClient(k8s.CoreV1Api);
}

export function appsApi(): k8s.AppsV1Api {
  return kubeConfig().makeApiClient(k8s.AppsV1Api);
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** "Success" or "Failure", from the API server's final status message. */
  status: string;
}

/** Runs a command in a container through the API server (the same path as `kubectl exec`). */
export async function execInContainer(namespace: string, pod: string, container: string, command: string[]): Promise<ExecResult> {
  const stdout = collector();
  const stderr = collector();
  return new Promise((resolve, reject) => {
    let status = "";
    new k8s.Exec(kubeConfig())
      .exec(namespace, pod, container, command, stdout.stream, stderr.stream, null, false, (s) => {
        status = s.status ?? "";
      })
      .then((socket) => {
        socket.on("close", () => resolve({ stdout: stdout.text(), stderr: stderr.text(), status }));
        socket.on("error", reject);
      }, reject);
  });
}

/** Names of the running, ready pods with label app=<app>. */
export async function readyPods(namespace: string, app: string): Promise<string[]> {
  const pods = await coreApi().listNamespacedPod({ namespace, labelSelector: `app=${app}` });
  return pods.items
    .filter((pod) => !pod.metadata?.deletionTimestamp)
    .filter((pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"))
    .map((pod) => pod.metadata!.name!);
}

export async function waitForReadyReplicas(namespace: string, name: string, replicas: number, timeoutMs = 120_000): Promise<void> {
  await waitFor(`deployment ${namespace}/${name} to have ${replicas} ready replicas`, timeoutMs, async () => {
    const deployment = await appsApi().readNamespacedDeployment({ name, namespace });
    const status = deployment.status ?? {};
    const ready = status.readyReplicas ?? 0;
    const total = status.replicas ?? 0;
    const pods = await readyPods(namespace, name);
    return ready === replicas && total === replicas && pods.length === replicas ? true : undefined;
  });
}

export async function scaleDeployment(namespace: string, name: string, replicas: number): Promise<void> {
  await appsApi().replaceNamespacedDeploymentScale({
    name,
    namespace,
    body: { metadata: { name, namespace }, spec: { replicas } },
  });
}

/**
 * Forwards one connection to `port` of `pod` through the API server and returns what came back
 * after `request` was written and the pod closed or went quiet.
 */
export async function portForwardRoundTrip(namespace: string, pod: string, port: number, request: string): Promise<string> {
  const input = new PassThrough();
  const output = collector();
  const errors = collector();
  const forward = new k8s.PortForward(kubeConfig());
  const socket = await forward.portForward(namespace, pod, [port], output.stream, errors.stream, input);
  input.write(request);
  const response = await waitFor("the port-forwarded response", 20_000, async () =>
    output.text().includes("\r\n\r\n") && /\}\s*$/.test(output.text()) ? output.text() : undefined,
    100,
  );
  input.end();
  if (typeof socket !== "function") socket.close();
  if (errors.text()) throw new Error(`port-forward reported: ${errors.text()}`);
  return response;
}
