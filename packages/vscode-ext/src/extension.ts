/**
 * The VS Code edge: the only module that imports `vscode`. It starts the bundled IDE server
 * (dist/ide-server.mjs, same Node as the extension host) through vscode-languageclient,
 * resolves every debug configuration (`*`) with the decisions of ./logic, and shows state,
 * progress and errors. Everything it decides is in ./logic and unit-tested there.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, ResponseError, TransportKind, WorkDoneProgress, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  ListSessions,
  ListTargets,
  PROTOCOL_VERSION,
  SessionEnded,
  StartSession,
  StopSession,
  VerifyConfig,
  type ErrorData,
} from '@mirrord-ts/core/ide-protocol';
import type { LaunchConfig } from './logic/launch.js';
import { resolveDebugConfiguration, type ProviderHost } from './logic/provider.js';
import { namespacePickItems, targetPickItems, type PickAction } from './logic/targets.js';
import { OPEN_CONFIG, SHOW_LOGS, errorNotification, keyOffset, statusLook } from './logic/ui.js';

const STATE_ENABLED = 'mirrord.enabled';
const STATE_LAST_TARGET = 'mirrord.lastTarget';
const STATE_SELECTED_TARGET = 'mirrord.selectedTarget';
const STATE_SELECTED_CONFIG = 'mirrord.selectedConfig';

class Mirrord {
  readonly log = vscode.window.createOutputChannel('mirrord', { log: true });
  readonly status = vscode.window.createStatusBarItem('mirrord.status', vscode.StatusBarAlignment.Left, 0);
  /** Running sessions this window started: id → target. */
  readonly running = new Map<string, string>();
  /** The debug sessions that run under those sessions: mirrord session id → debug session. */
  readonly debugSessions = new Map<string, vscode.DebugSession>();
  #client: LanguageClient | undefined;
  #starting: Promise<LanguageClient> | undefined;

  constructor(readonly context: vscode.ExtensionContext) {
    this.status.name = 'mirrord';
    this.status.command = 'mirrord.toggle';
    this.refreshStatus();
    this.status.show();
  }

  get enabled(): boolean {
    const stored = this.context.workspaceState.get<boolean>(STATE_ENABLED);
    return stored ?? vscode.workspace.getConfiguration('mirrord').get<boolean>('enabledByDefault', false);
  }

  refreshStatus(): void {
    const look = statusLook(this.enabled, [...this.running.values()]);
    this.status.text = look.text;
    this.status.tooltip = look.tooltip;
  }

  /** The server, started on first use. */
  client(): Promise<LanguageClient> {
    this.#starting ??= (async () => {
      const server = this.context.asAbsolutePath(join('dist', 'ide-server.mjs'));
      const serverOptions: ServerOptions = {
        run: { module: server, transport: TransportKind.stdio, options: { env: { ...process.env } } },
        debug: { module: server, transport: TransportKind.stdio, options: { env: { ...process.env } } },
      };
      let started: LanguageClient | undefined;
      const clientOptions: LanguageClientOptions = {
        documentSelector: [],
        // A server that dies is not restarted behind the user's back (vscode-languageclient
        // gives up for good after 5 restarts in 3 minutes, and a restarted server knows none
        // of the sessions): its sessions end here, and the next F5 starts a new server.
        errorHandler: {
          error: () => ({ action: ErrorAction.Continue, handled: true }),
          closed: () => {
            if (started) this.serverStopped(started);
            return { action: CloseAction.DoNotRestart, handled: true };
          },
        },
        outputChannel: this.log,
        initializationOptions: { protocolVersion: PROTOCOL_VERSION },
        // A failed initialize (version mismatch) is shown once, not retried.
        initializationFailedHandler: (error) => {
          void this.showError(error);
          return false;
        },
      };
      const client = new LanguageClient('mirrord', 'mirrord', serverOptions, clientOptions);
      started = client;
      client.onNotification(SessionEnded.method, (params: SessionEnded.Params) => this.onSessionEnded(params));
      await client.start();
      this.#client = client;
      return client;
    })();
    this.#starting.catch(() => (this.#starting = undefined));
    return this.#starting;
  }

  /** The server is gone (killed, crashed): forget it, and end the debug sessions it served. */
  serverStopped(client: LanguageClient): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#starting = undefined;
    const ended = [...this.running.keys()];
    this.running.clear();
    this.refreshStatus();
    this.log.appendLine(`the mirrord server stopped; ${ended.length} session${ended.length === 1 ? '' : 's'} ended with it`);
    if (ended.length === 0) return;
    for (const id of ended) {
      const debugSession = this.debugSessions.get(id);
      this.debugSessions.delete(id);
      if (debugSession) void vscode.debug.stopDebugging(debugSession);
    }
    void this.showError(new Error(`mirrord's server stopped unexpectedly, so the debug session${ended.length === 1 ? '' : 's'} it served ended (the cluster removes the agent by itself). Start debugging again to start a new server.`));
  }

  onSessionEnded(params: SessionEnded.Params): void {
    this.log.appendLine(`session ${params.sessionId} ended: ${params.reason}${params.error ? ` — ${params.error.message}` : ''}`);
    this.running.delete(params.sessionId);
    this.refreshStatus();
    if (params.error) void this.showError(new ResponseError(1, params.error.message, params.error));
  }

  async showError(error: unknown, configPath?: string): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const data = error instanceof ResponseError ? (error.data as ErrorData | undefined) : undefined;
    this.log.appendLine(`error: ${message}${data ? ` (${JSON.stringify(data)})` : ''}`);
    const { text, actions } = errorNotification(message, data);
    const choice = await vscode.window.showErrorMessage(text, ...actions);
    if (choice === SHOW_LOGS) this.log.show(true);
    if (choice === OPEN_CONFIG) await this.openConfig(data?.file ?? configPath, data?.key);
  }

  async openConfig(file: string | undefined, key: string | undefined, cwd?: string): Promise<void> {
    if (!file) return;
    const base = cwd ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    const path = isAbsolute(file) ? file : resolve(base, file);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    const position = document.positionAt(keyOffset(document.getText(), key, path));
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
  }

  async toggle(): Promise<void> {
    await this.context.workspaceState.update(STATE_ENABLED, !this.enabled);
    this.refreshStatus();
    this.log.appendLine(`mirroring of debug sessions is ${this.enabled ? 'on' : 'off'} for this workspace`);
  }

  /** The quick-pick: returns a target path, 'targetless', or undefined when dismissed. */
  async pickTarget(cwd: string, configFile: string | undefined): Promise<{ target: string; namespace?: string } | undefined> {
    const client = await this.client();
    let namespace: string | undefined;
    for (;;) {
      const listing = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'mirrord: listing targets' }, () =>
        client.sendRequest<ListTargets.Result>(ListTargets.method, { cwd, ...(configFile ? { configFile } : {}), ...(namespace ? { namespace } : {}) } satisfies ListTargets.Params),
      );
      const items = targetPickItems(listing, this.context.workspaceState.get<string>(STATE_LAST_TARGET)).map((item) =>
        item.separator ? { label: item.label, kind: vscode.QuickPickItemKind.Separator } : { label: item.label, description: item.description, detail: item.detail, action: item.action },
      );
      const picked = await vscode.window.showQuickPick(items as (vscode.QuickPickItem & { action?: PickAction })[], {
        title: `mirrord: target in namespace ${listing.currentNamespace}`,
        placeHolder: 'Pick the pod, deployment or container to run as',
        matchOnDescription: true,
        ignoreFocusOut: true,
      });
      const action = picked?.action;
      if (!action) return undefined;
      if (action.kind === 'targetless') return { target: 'targetless' };
      if (action.kind === 'target') {
        await this.context.workspaceState.update(STATE_LAST_TARGET, action.path);
        return { target: action.path, ...(namespace ? { namespace } : {}) };
      }
      if (action.kind === 'unavailable') {
        void vscode.window.showWarningMessage(`mirrord: ${action.path} has no running, ready pod to target; pick another target.`);
        continue;
      }
      const chosen = await vscode.window.showQuickPick(namespacePickItems(listing), { title: 'mirrord: namespace', ignoreFocusOut: true });
      if (chosen) namespace = chosen;
    }
  }

  /** The DebugConfigurationProvider's work: ./logic/provider.ts with VS Code's UI and the language client. */
  async resolve(folder: vscode.WorkspaceFolder | undefined, config: LaunchConfig, token: vscode.CancellationToken): Promise<LaunchConfig | undefined> {
    const host: ProviderHost = {
      toggleOn: this.enabled,
      selectedConfig: this.context.workspaceState.get<string>(STATE_SELECTED_CONFIG),
      selectedTarget: this.context.workspaceState.get<string>(STATE_SELECTED_TARGET),
      folder: folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd(),
      log: (line) => this.log.appendLine(line),
      verifyConfig: async (params) => (await this.client()).sendRequest<VerifyConfig.Result>(VerifyConfig.method, params satisfies VerifyConfig.Params),
      configInvalid: async (verdict) => {
        const first = verdict.errors[0];
        await this.showError(new ResponseError(1001, first?.message ?? 'The config file is invalid.', { kind: 'config', key: first?.key, file: verdict.path ?? undefined, help: first?.help ?? '' } as ErrorData), verdict.path ?? undefined);
      },
      pickTarget: (cwd, configFile) => this.pickTarget(cwd, configFile),
      startSession: async (params) => this.startSession(await this.client(), params, token),
      started: (result, target) => {
        this.running.set(result.sessionId, result.target ?? target ?? 'from config');
        this.refreshStatus();
      },
    };
    try {
      return await resolveDebugConfiguration(config, host);
    } catch (error) {
      await this.showError(error);
      return undefined;
    }
  }

  async startSession(client: LanguageClient, params: StartSession.Params, token: vscode.CancellationToken): Promise<StartSession.Result | undefined> {
    const workDoneToken = `mirrord-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'mirrord', cancellable: true }, async (progress, cancel) => {
      const source = new vscode.CancellationTokenSource();
      cancel.onCancellationRequested(() => source.cancel());
      token.onCancellationRequested(() => source.cancel());
      let last = 0;
      const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        const percentage = 'percentage' in value && typeof value.percentage === 'number' ? value.percentage : undefined;
        const increment = percentage !== undefined ? Math.max(0, percentage - last) : undefined;
        if (percentage !== undefined) last = percentage;
        if (value.kind !== 'end') progress.report({ message: value.message, ...(increment !== undefined ? { increment } : {}) });
      });
      try {
        // The debuggee reads files of VS Code and of the debuggers (js-debug's bootloader through
        // NODE_OPTIONS, debugpy's launcher): those folders stay local whatever feature.fs says.
        const localPaths = [vscode.env.appRoot, dirname(this.context.extensionPath)].filter((p) => isAbsolute(p));
        return await client.sendRequest<StartSession.Result>(StartSession.method, { ...params, workDoneToken, localPaths } satisfies StartSession.Params, source.token);
      } catch (error) {
        if (source.token.isCancellationRequested) {
          this.log.appendLine('starting the session was cancelled');
          return undefined;
        }
        throw error;
      } finally {
        listener.dispose();
        source.dispose();
      }
    });
  }

  async stopSession(sessionId: string): Promise<void> {
    if (!this.#client) return;
    await this.#client.sendRequest(StopSession.method, { sessionId } satisfies StopSession.Params).catch((error: unknown) => this.log.appendLine(`stopSession ${sessionId}: ${String(error)}`));
    this.running.delete(sessionId);
    this.refreshStatus();
  }

  async stopAll(): Promise<void> {
    if (!this.#client) return;
    const sessions = await this.#client.sendRequest<ListSessions.Result>(ListSessions.method, {});
    await Promise.all(sessions.map((s) => this.stopSession(s.sessionId)));
    void vscode.window.showInformationMessage(`mirrord: stopped ${sessions.length} session${sessions.length === 1 ? '' : 's'}.`);
  }

  async selectTarget(): Promise<void> {
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    try {
      const picked = await this.pickTarget(cwd, this.context.workspaceState.get<string>(STATE_SELECTED_CONFIG));
      if (picked) {
        await this.context.workspaceState.update(STATE_SELECTED_TARGET, picked.target);
        void vscode.window.showInformationMessage(`mirrord: debug sessions of this workspace will use ${picked.target}.`);
      }
    } catch (error) {
      await this.showError(error);
    }
  }

  async selectConfig(): Promise<void> {
    const found = await vscode.workspace.findFiles('**/.mirrord/*mirrord.{json,yaml,yml,toml}', '**/node_modules/**', 50);
    const current = this.context.workspaceState.get<string>(STATE_SELECTED_CONFIG);
    const items = [
      { label: 'Find .mirrord/mirrord.* from the launch folder', description: current ? '' : 'current', path: undefined as string | undefined },
      ...found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), description: uri.fsPath === current ? 'current' : '', path: uri.fsPath })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'mirrord: config file for debug sessions' });
    if (picked) await this.context.workspaceState.update(STATE_SELECTED_CONFIG, picked.path);
  }

  async dispose(): Promise<void> {
    await this.#client?.stop(5000).catch(() => undefined);
  }
}

/** The mirrord session a top-level debug session runs under (child sessions share their parent's). */
function mirrordSessionOf(session: vscode.DebugSession): string | undefined {
  const id = (session.configuration as LaunchConfig).__mirrordSessionId;
  return typeof id === 'string' && session.parentSession === undefined ? id : undefined;
}

export function activate(context: vscode.ExtensionContext): void {
  const mirrord = new Mirrord(context);
  context.subscriptions.push(
    mirrord.log,
    mirrord.status,
    vscode.commands.registerCommand('mirrord.toggle', () => mirrord.toggle()),
    vscode.commands.registerCommand('mirrord.selectTarget', () => mirrord.selectTarget()),
    vscode.commands.registerCommand('mirrord.selectConfig', () => mirrord.selectConfig()),
    vscode.commands.registerCommand('mirrord.stopSessions', () => mirrord.stopAll()),
    vscode.commands.registerCommand('mirrord.showLogs', () => mirrord.log.show(true)),
    vscode.debug.registerDebugConfigurationProvider('*', {
      resolveDebugConfigurationWithSubstitutedVariables: (folder, config, token) => mirrord.resolve(folder, config as LaunchConfig, token ?? new vscode.CancellationTokenSource().token) as Promise<vscode.DebugConfiguration | undefined>,
    }),
    vscode.debug.onDidStartDebugSession((session) => {
      const id = mirrordSessionOf(session);
      if (id) mirrord.debugSessions.set(id, session);
    }),
    vscode.debug.onDidTerminateDebugSession((session) => {
      const id = mirrordSessionOf(session);
      if (!id) return;
      mirrord.debugSessions.delete(id);
      void mirrord.stopSession(id);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mirrord')) mirrord.refreshStatus();
    }),
    { dispose: () => void mirrord.dispose() },
  );
  mirrord.log.appendLine(`mirrord ${context.extension.packageJSON.version as string} active; mirroring is ${mirrord.enabled ? 'on' : 'off'} for this workspace`);
}

export function deactivate(): void {}
