/**
 * The cluster's minimum PKI, made with openssl: one CA, the API server's serving cert, a
 * system:masters client cert (admin, controllers, kube-proxy, API server → kubelet), the
 * kubelet's system:node client cert (keeps the Node authorizer meaningful), and the
 * service-account key pair.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { API_SERVICE_IP, CLUSTER_DOMAIN, NODE_IP, NODE_NAME } from "../network.js";
import { CERTS_DIR } from "../paths.js";
import { run } from "../run.js";

export const CERT = {
  caCert: path.join(CERTS_DIR, "ca.crt"),
  caKey: path.join(CERTS_DIR, "ca.key"),
  apiServerCert: path.join(CERTS_DIR, "apiserver.crt"),
  apiServerKey: path.join(CERTS_DIR, "apiserver.key"),
  adminCert: path.join(CERTS_DIR, "admin.crt"),
  adminKey: path.join(CERTS_DIR, "admin.key"),
  kubeletClientCert: path.join(CERTS_DIR, "kubelet-client.crt"),
  kubeletClientKey: path.join(CERTS_DIR, "kubelet-client.key"),
  serviceAccountKey: path.join(CERTS_DIR, "sa.key"),
  serviceAccountPub: path.join(CERTS_DIR, "sa.pub"),
};

async function signedCert(name: string, subject: string, extensions: string): Promise<void> {
  const key = path.join(CERTS_DIR, `${name}.key`);
  const csr = path.join(CERTS_DIR, `${name}.csr`);
  const ext = path.join(CERTS_DIR, `${name}.ext`);
  await writeFile(ext, extensions);
  await run("openssl", ["req", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", key, "-out", csr, "-subj", subject]);
  await run("openssl", [
    "x509", "-req", "-in", csr, "-CA", CERT.caCert, "-CAkey", CERT.caKey, "-set_serial", `0x${Date.now().toString(16)}${name.length}`,
    "-days", "3650", "-sha256", "-extfile", ext, "-out", path.join(CERTS_DIR, `${name}.crt`),
  ]);
}

export async function writeCertificates(): Promise<void> {
  await mkdir(CERTS_DIR, { recursive: true, mode: 0o700 });
  await run("openssl", [
    "req", "-x509", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", CERT.caKey, "-out", CERT.caCert,
    "-days", "3650", "-sha256", "-subj", "/CN=mirrord-ts-e2e-ca",
  ]);
  const serverNames = [
    "kubernetes", "kubernetes.default", "kubernetes.default.svc", `kubernetes.default.svc.${CLUSTER_DOMAIN}`, "localhost",
  ];
  const sans = [...serverNames.map((n) => `DNS:${n}`), `IP:${API_SERVICE_IP}`, `IP:${NODE_IP}`, "IP:127.0.0.1"].join(",");
  const common = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n";
  await signedCert("apiserver", "/CN=kube-apiserver", `${common}extendedKeyUsage=serverAuth\nsubjectAltName=${sans}\n`);
  await signedCert("admin", "/O=system:masters/CN=mirrord-ts-e2e-admin", `${common}extendedKeyUsage=clientAuth\n`);
  await signedCert("kubelet-client", `/O=system:nodes/CN=system:node:${NODE_NAME}`, `${common}extendedKeyUsage=clientAuth\n`);
  await run("openssl", ["genrsa", "-out", CERT.serviceAccountKey, "2048"]);
  await run("openssl", ["rsa", "-in", CERT.serviceAccountKey, "-pubout", "-out", CERT.serviceAccountPub]);
}
