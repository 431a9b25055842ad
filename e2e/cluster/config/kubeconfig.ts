/** Kubeconfig files (JSON, which every YAML reader accepts) with the certificates embedded. */
import { readFile, writeFile } from "node:fs/promises";
import { API_SERVER_URL } from "../network.js";
import { CERT } from "./certs.js";

async function base64Of(file: string): Promise<string> {
  return (await readFile(file)).toString("base64");
}

export async function writeKubeconfig(target: string, user: string, certFile: string, keyFile: string): Promise<void> {
  const kubeconfig = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "mirrord-e2e", cluster: { server: API_SERVER_URL, "certificate-authority-data": await base64Of(CERT.caCert) } }],
    users: [{ name: user, user: { "client-certificate-data": await base64Of(certFile), "client-key-data": await base64Of(keyFile) } }],
    contexts: [{ name: "mirrord-e2e", context: { cluster: "mirrord-e2e", user, namespace: "default" } }],
    "current-context": "mirrord-e2e",
  };
  await writeFile(target, `${JSON.stringify(kubeconfig, null, 2)}\n`, { mode: 0o600 });
}
