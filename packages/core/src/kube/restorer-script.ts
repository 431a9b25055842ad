/**
 * The cluster-side half of `copy_target.scale_down`: a program run by `node -e` in the agent
 * image (which has node), in a pod whose service account may touch only this session's Lease,
 * the one scaled workload and its HPA (a Role with resourceNames). It watches the session's
 * Lease, which the CLI renews every few seconds; once the Lease has not changed for
 * `timeoutSeconds` (the session's communication_timeout) it restores the HPA bounds and the
 * replica count recorded in the workload's annotation, removes the annotation, and deletes the
 * Lease, whose dependents (the copy pod, this pod, its RBAC) the garbage collector removes.
 *
 * Plain JavaScript with node's own modules only: it runs in any image that has node.
 */
export const RESTORER_SCRIPT = String.raw`
'use strict';
const https = require('https');
const fs = require('fs');
const cfg = JSON.parse(process.env.MIRRORD_RESTORE);
const SA = '/var/run/secrets/kubernetes.io/serviceaccount/';
const ca = fs.readFileSync(SA + 'ca.crt');
const log = (m) => console.log(new Date().toISOString() + ' mirrord restorer: ' + m);
function api(method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers = { Authorization: 'Bearer ' + fs.readFileSync(SA + 'token', 'utf8').trim(), Accept: 'application/json' };
    if (data !== undefined) { headers['Content-Type'] = 'application/json'; headers['Content-Length'] = Buffer.byteLength(data); }
    const req = https.request({ hostname: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT, path, method, ca, headers, timeout: 10000 }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => { let json = null; try { json = text ? JSON.parse(text) : null; } catch {} resolve({ status: res.statusCode, body: json }); });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function restoreHpa(record) {
  if (!record.hpa) return;
  for (let i = 0; i < 10; i++) {
    const h = await api('GET', cfg.hpaPath);
    if (h.status === 404) return;
    if (h.status !== 200) throw new Error('reading the HPA: ' + h.status);
    h.body.spec.minReplicas = record.hpa.minReplicas;
    h.body.spec.maxReplicas = record.hpa.maxReplicas;
    const r = await api('PUT', cfg.hpaPath, h.body);
    if (r.status === 409) continue;
    if (r.status >= 300) throw new Error('restoring the HPA: ' + r.status + ' ' + JSON.stringify(r.body && r.body.message));
    return;
  }
}
async function restore() {
  for (let i = 0; i < 10; i++) {
    const w = await api('GET', cfg.workloadPath);
    if (w.status === 404) { log('the workload is gone'); return; }
    if (w.status !== 200) throw new Error('reading the workload: ' + w.status);
    const annotations = (w.body.metadata && w.body.metadata.annotations) || {};
    const text = annotations[cfg.annotation];
    if (!text) { log('the workload is not scaled down'); return; }
    const record = JSON.parse(text);
    if (record.sessionId !== cfg.sessionId) { log('the workload was scaled down by session ' + record.sessionId + ', not ours'); return; }
    await restoreHpa(record);
    w.body.spec.replicas = record.replicas;
    delete annotations[cfg.annotation];
    w.body.metadata.annotations = annotations;
    const r = await api('PUT', cfg.workloadPath, w.body);
    if (r.status === 409) continue;
    if (r.status >= 300) throw new Error('restoring the workload: ' + r.status + ' ' + JSON.stringify(r.body && r.body.message));
    log('restored ' + cfg.target + ' to ' + record.replicas + ' replicas');
    return;
  }
}
(async () => {
  let version = null;
  let changed = Date.now();
  log('watching lease ' + cfg.leasePath + ' (timeout ' + cfg.timeoutSeconds + ' s)');
  for (;;) {
    let lease;
    try { lease = await api('GET', cfg.leasePath); } catch (e) { log('API error: ' + e.message); await sleep(2000); continue; }
    if (lease.status === 404) { log('the session ended cleanly'); return; }
    if (lease.status === 200) {
      const v = lease.body.metadata.resourceVersion;
      if (v !== version) { version = v; changed = Date.now(); }
    }
    if (Date.now() - changed > cfg.timeoutSeconds * 1000) break;
    await sleep(cfg.pollMs);
  }
  log('no heartbeat for ' + cfg.timeoutSeconds + ' s: restoring ' + cfg.target);
  for (;;) {
    try {
      await restore();
      await api('DELETE', cfg.leasePath + '?propagationPolicy=Background');
      log('done');
      return;
    } catch (e) {
      log('restore failed, retrying: ' + e.message);
      await sleep(2000);
    }
  }
})().then(() => sleep(60000), (e) => { log(String(e)); process.exit(1); });
`;
