/**
 * Turning what the Kubernetes client throws into one sentence a person can act on, at the
 * boundary where the call was made (so the sentence can say what we were doing).
 */
import * as k8s from '@kubernetes/client-node';
import { ClusterError } from '../errors.js';

/** `doing` finishes "while …": e.g. "reading deployment/echo in namespace shop". */
export function clusterErrorFrom(error: unknown, doing: string): ClusterError {
  if (error instanceof ClusterError) return error;
  if (error instanceof k8s.ApiException) {
    const reason = apiReason(error);
    switch (error.code) {
      case 401:
        return new ClusterError('cluster.unauthorized', `The API server rejected our credentials while ${doing}.`, 'Log in again (refresh your kubeconfig credentials) and retry.', { cause: error });
      case 403:
        return new ClusterError('cluster.forbidden', `Access was denied while ${doing}${reason ? ` (${reason})` : ''}.`, 'Ask for RBAC permission for this, or use a namespace you may access.', { cause: error });
      case 404:
        return new ClusterError('cluster.not_found', `Not found while ${doing}${reason ? ` (${reason})` : ''}.`, 'Check the name and the namespace (`mirrord ls -n <namespace>` lists targets).', { cause: error });
      default:
        return new ClusterError('cluster.api', `The API server answered ${error.code} while ${doing}${reason ? ` (${reason})` : ''}.`, 'Check the cluster\'s health and retry.', { cause: error });
    }
  }
  const code = networkCode(error);
  if (code) {
    return new ClusterError('cluster.unreachable', `The Kubernetes API server could not be reached while ${doing} (${code}).`, 'Check that the cluster is running and that your kubeconfig points at it (`kubectl cluster-info`).', { cause: error });
  }
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new ClusterError('cluster.unknown', `Talking to the cluster failed while ${doing} (${detail}).`, 'Check the cluster and your kubeconfig, then retry.', { cause: error });
}

function apiReason(error: k8s.ApiException<unknown>): string | undefined {
  const body = error.body;
  const text = typeof body === 'string' ? safeJson(body) : body;
  const message = (text as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message.split('\n')[0] : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** ECONNREFUSED, ENOTFOUND, ETIMEDOUT… wherever fetch put it (error or its cause chain). */
function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

/** Runs a call, converting its failure; `undefined` for 404 when `allowMissing`. */
export async function callApi<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw clusterErrorFrom(error, doing);
  }
}

export async function readOrMissing<T>(doing: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof k8s.ApiException && error.code === 404) return undefined;
    throw clusterErrorFrom(error, doing);
  }
}
