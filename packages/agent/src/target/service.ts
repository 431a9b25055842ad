/** GetEnv, file calls and Pause: everything that acts on the target process. */
import * as grpc from "@grpc/grpc-js";
import type { AgentHandlers } from "@mirrord-ts/protocol";
import { CallError, ioError, unary } from "../calls.js";
import type { Session, SessionRegistry } from "../lifecycle/sessions.js";
import { readTargetEnv } from "./env.js";
import { TargetFiles } from "./files.js";
import { FreezerUnavailable } from "./freezer.js";
import { TargetPause } from "./pause.js";

type TargetHandlers = Pick<AgentHandlers, "GetEnv" | "StatFile" | "ReadLink" | "ReadDir" | "OpenFile" | "ReadFile" | "CloseFile" | "Pause">;

const TARGETLESS = "This agent runs without a target process, so it has no environment, files or process to pause.";

export class TargetService {
  private readonly filesBySession = new Map<string, TargetFiles>();
  readonly pauser: TargetPause | undefined;

  constructor(
    private readonly registry: SessionRegistry,
    private readonly targetPid: number | undefined,
    agentId: string,
  ) {
    this.pauser = targetPid ? new TargetPause(targetPid, agentId) : undefined;
  }

  private pid(): number {
    if (!this.targetPid) throw new CallError(grpc.status.FAILED_PRECONDITION, TARGETLESS);
    return this.targetPid;
  }

  private files(session: Session): TargetFiles {
    let files = this.filesBySession.get(session.id);
    if (!files) {
      const created = new TargetFiles(`/proc/${this.pid()}/root`);
      files = created;
      this.filesBySession.set(session.id, created);
      session.onClose(() => {
        this.filesBySession.delete(session.id);
        void created.closeAll();
      });
    }
    return files;
  }

  handlers(): TargetHandlers {
    const r = this.registry;
    return {
      GetEnv: unary(r, async () => {
        try {
          return { vars: await readTargetEnv(this.pid()) };
        } catch (error) {
          if (error instanceof CallError) throw error;
          throw new CallError(grpc.status.UNAVAILABLE, `The target's environment cannot be read: ${(error as Error).message}`);
        }
      }),
      StatFile: unary(r, async (request, session) => {
        try {
          return { stat: await this.files(session).stat(request.path, !request.noFollow) };
        } catch (error) {
          if (error instanceof CallError) throw error;
          return { error: ioError(error) };
        }
      }),
      ReadLink: unary(r, async (request, session) => {
        try {
          return { target: await this.files(session).readLink(request.path) };
        } catch (error) {
          if (error instanceof CallError) throw error;
          return { error: ioError(error) };
        }
      }),
      ReadDir: unary(r, async (request, session) => {
        try {
          return { entries: await this.files(session).readDir(request.path) };
        } catch (error) {
          if (error instanceof CallError) throw error;
          return { error: ioError(error) };
        }
      }),
      OpenFile: unary(r, async (request, session) => {
        try {
          return await this.files(session).open(request.path);
        } catch (error) {
          if (error instanceof CallError) throw error;
          return { error: ioError(error) };
        }
      }),
      ReadFile: unary(r, async (request, session) => {
        try {
          return await this.files(session).read(request.handle, request.offset, request.length);
        } catch (error) {
          if (error instanceof CallError) throw error;
          return { error: ioError(error) };
        }
      }),
      CloseFile: unary(r, async (request, session) => {
        await this.files(session).close(request.handle);
        return {};
      }),
      Pause: unary(r, async (request, session) => {
        const pauser = this.pauser;
        if (!pauser) throw new CallError(grpc.status.FAILED_PRECONDITION, TARGETLESS);
        try {
          if (request.paused) {
            await pauser.pause(session.id);
            session.onClose(() => pauser.resume(session.id));
          } else {
            pauser.resume(session.id);
          }
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "ESRCH") throw new CallError(grpc.status.FAILED_PRECONDITION, `The target process ${this.targetPid} no longer exists.`);
          if (error instanceof FreezerUnavailable) {
            throw new CallError(grpc.status.FAILED_PRECONDITION, `The agent cannot pause the target: ${error.message}. Run the agent as a job (agent.ephemeral: false), which stops the target's processes from the node.`);
          }
          throw error;
        }
        return { paused: pauser.paused };
      }),
    };
  }
}
