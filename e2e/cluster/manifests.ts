/**
 * Kubernetes objects `up` applies: CoreDNS in kube-system and the test workloads in
 * E2E_NAMESPACE. Other suites import the names from here instead of repeating strings.
 */
import { COREFILE } from "./config/component-configs.js";
import { IMAGES } from "./images.js";
import { DNS_SERVICE_IP } from "./network.js";

export const E2E_NAMESPACE = "mirrord-e2e";

/** Workload names in E2E_NAMESPACE (Deployment name = Service name = pod label `app`). */
export const WORKLOADS = {
  /** HTTP/1.1 + h2c echo on port 8080 (Service port 80 → 8080); env ECHO_ONLY_VAR, file /app/only-in-pod.txt. */
  echo: { name: "echo", container: "echo", port: 8080, servicePort: 80, onlyVar: ["ECHO_ONLY_VAR", "from-echo-pod"], onlyFile: "/app/only-in-pod.txt" },
  /** TCP and UDP echo on port 9000 (Service ports tcp/udp 9000). */
  tcpUdpEcho: { name: "tcp-udp-echo", container: "tcp-udp-echo", port: 9000 },
  /** Two containers: `app` on 8080 (APP_ONLY_VAR, /app/only-in-app.txt) and `sidecar` on 8081 (SIDECAR_ONLY_VAR, /app/only-in-sidecar.txt). */
  multi: {
    name: "multi",
    app: { container: "app", port: 8080, onlyVar: ["APP_ONLY_VAR", "from-app-container"], onlyFile: "/app/only-in-app.txt" },
    sidecar: { container: "sidecar", port: 8081, onlyVar: ["SIDECAR_ONLY_VAR", "from-sidecar-container"], onlyFile: "/app/only-in-sidecar.txt" },
  },
  /** Broker on port 8080: POST /publish, GET /consume?consumer=, GET /consumed, POST /reset. */
  queueBroker: { name: "queue-broker", container: "broker", port: 8080 },
  /** 3 replicas consuming from queue-broker; each consumption is logged with the pod name. */
  queueReader: { name: "queue-reader", container: "reader", replicas: 3 },
} as const;

type Manifest = Record<string, unknown>;

const podNameEnv = { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } };

function httpReadiness(port: number) {
  return { httpGet: { path: "/healthz", port }, periodSeconds: 1, failureThreshold: 3 };
}

function deployment(name: string, namespace: string, replicas: number, containers: Manifest[], extraPodSpec: Manifest = {}): Manifest {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: 2, enableServiceLinks: false, containers, ...extraPodSpec },
      },
    },
  };
}

function service(name: string, namespace: string, ports: Manifest[], selectorApp = name, clusterIP?: string): Manifest {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace, labels: { app: name } },
    spec: { selector: { app: selectorApp }, ports, ...(clusterIP ? { clusterIP } : {}) },
  };
}

function corednsManifests(): Manifest[] {
  const ns = "kube-system";
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "coredns", namespace: ns } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "system:coredns" },
      rules: [
        { apiGroups: [""], resources: ["endpoints", "services", "pods", "namespaces"], verbs: ["list", "watch"] },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "system:coredns" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:coredns" },
      subjects: [{ kind: "ServiceAccount", name: "coredns", namespace: ns }],
    },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "coredns", namespace: ns }, data: { Corefile: COREFILE } },
    deployment("coredns", ns, 1, [
      {
        name: "coredns",
        image: IMAGES.coredns,
        imagePullPolicy: "Never",
        args: ["-conf", "/etc/coredns/Corefile"],
        ports: [
          { name: "dns", containerPort: 53, protocol: "UDP" },
          { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
        ],
        readinessProbe: { httpGet: { path: "/ready", port: 8181 }, periodSeconds: 1 },
        livenessProbe: { httpGet: { path: "/health", port: 8080 }, periodSeconds: 10 },
        volumeMounts: [{ name: "config", mountPath: "/etc/coredns", readOnly: true }],
      },
    ], {
      serviceAccountName: "coredns",
      dnsPolicy: "Default",
      volumes: [{ name: "config", configMap: { name: "coredns" } }],
    }),
    service("kube-dns", ns, [
      { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
      { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
    ], "coredns", DNS_SERVICE_IP),
  ];
}

function echoContainer(name: string, image: string, port: number, onlyVar: readonly [string, string]): Manifest {
  return {
    name,
    image,
    imagePullPolicy: "Never",
    env: [podNameEnv, { name: "CONTAINER_NAME", value: name }, { name: "PORT", value: String(port) }, { name: onlyVar[0], value: onlyVar[1] }],
    ports: [{ name: `http-${port}`, containerPort: port }],
    readinessProbe: httpReadiness(port),
  };
}

function workloadManifests(): Manifest[] {
  const ns = E2E_NAMESPACE;
  const { echo, tcpUdpEcho, multi, queueBroker, queueReader } = WORKLOADS;
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
    deployment(echo.name, ns, 1, [echoContainer(echo.container, IMAGES.echo, echo.port, echo.onlyVar)]),
    service(echo.name, ns, [{ name: "http", port: echo.servicePort, targetPort: echo.port }]),
    deployment(tcpUdpEcho.name, ns, 1, [
      {
        name: tcpUdpEcho.container,
        image: IMAGES.tcpUdpEcho,
        imagePullPolicy: "Never",
        env: [{ name: "PORT", value: String(tcpUdpEcho.port) }],
        ports: [
          { name: "tcp", containerPort: tcpUdpEcho.port, protocol: "TCP" },
          { name: "udp", containerPort: tcpUdpEcho.port, protocol: "UDP" },
        ],
        readinessProbe: { tcpSocket: { port: tcpUdpEcho.port }, periodSeconds: 1 },
      },
    ]),
    service(tcpUdpEcho.name, ns, [
      { name: "tcp", port: tcpUdpEcho.port, protocol: "TCP" },
      { name: "udp", port: tcpUdpEcho.port, protocol: "UDP" },
    ]),
    deployment(multi.name, ns, 1, [
      echoContainer(multi.app.container, IMAGES.multiApp, multi.app.port, multi.app.onlyVar),
      echoContainer(multi.sidecar.container, IMAGES.multiSidecar, multi.sidecar.port, multi.sidecar.onlyVar),
    ]),
    service(multi.name, ns, [
      { name: "app", port: multi.app.port },
      { name: "sidecar", port: multi.sidecar.port },
    ]),
    deployment(queueBroker.name, ns, 1, [
      {
        name: queueBroker.container,
        image: IMAGES.queueBroker,
        imagePullPolicy: "Never",
        env: [{ name: "PORT", value: String(queueBroker.port) }],
        ports: [{ name: "http", containerPort: queueBroker.port }],
        readinessProbe: httpReadiness(queueBroker.port),
      },
    ]),
    service(queueBroker.name, ns, [{ name: "http", port: queueBroker.port }]),
    deployment(queueReader.name, ns, queueReader.replicas, [
      {
        name: queueReader.container,
        image: IMAGES.queueReader,
        imagePullPolicy: "Never",
        env: [podNameEnv, { name: "QUEUE_BROKER_URL", value: `http://${queueBroker.name}.${ns}.svc.cluster.local:${queueBroker.port}` }],
      },
    ]),
  ];
}

/** Everything `up` applies, as one kubectl-readable List. */
export function clusterManifests(): string {
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: [...corednsManifests(), ...workloadManifests()] }, null, 2);
}

/** Deployments `up` waits for, as [namespace, name]. */
export function deploymentsToWaitFor(): Array<[string, string]> {
  return [
    ["kube-system", "coredns"],
    ...[WORKLOADS.echo, WORKLOADS.tcpUdpEcho, WORKLOADS.multi, WORKLOADS.queueBroker, WORKLOADS.queueReader].map(
      (w): [string, string] => [E2E_NAMESPACE, w.name],
    ),
  ];
}
