/**
 * A local TCP port that reaches a pod's port through the API server (the kubelet dials
 * 127.0.0.1:<port> inside the pod's network namespace), like `kubectl port-forward`. Each
 * local connection becomes one forwarded stream; the session opens one and keeps it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import { clusterErrorFrom } from './api-errors.js';
import type { Cluster } from './cluster.js';

export interface PortForward {
  readonly localPort: number;
  /** Stops listening and cuts every forwarded connection. */
  close(): Promise<void>;
}

export async function forwardPort(cluster: Cluster, namespace: string, podName: string, remotePort: number): Promise<PortForward> {
  const forwarder = new k8s.PortForward(cluster.kubeConfig, true);
  const sockets = new Set<Socket>();
  // noDelay: gRPC's small frames must not wait for the peer's delayed ACKs.
  const server: Server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    forwarder.portForward(namespace, podName, [remotePort], socket, null, socket).then(
      (ws) => {
        // The web socket closing ends the local connection too (and the other way round).
        if (typeof ws !== 'function') {
          ws.on('close', () => socket.destroy());
          ws.on('error', () => socket.destroy());
          socket.on('close', () => ws.close());
        }
      },
      (error: unknown) => {
        socket.destroy(clusterErrorFrom(error, `forwarding to port ${remotePort} of pod ${podName} in namespace ${namespace}`));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('port-forward listener has no TCP address');
  return {
    localPort: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
