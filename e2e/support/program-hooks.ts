/**
 * Mocha root hooks: a program a failed test started and could not stop (support/programs.ts)
 * is killed once its suite is over, so no process outlives the run and mocha can exit.
 */
import { stopAllPrograms } from "./programs.js";

export const mochaHooks = {
  afterAll(): void {
    stopAllPrograms();
  },
};
