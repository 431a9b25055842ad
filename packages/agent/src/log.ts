import type { LogLevel } from "./args.js";

const RANK: Record<LogLevel, number> = { error: 0, info: 1, debug: 2 };

/** Lines on stderr, prefixed with the agent id and role; stdout carries only the ready line. */
export class Log {
  constructor(
    private readonly prefix: string,
    private readonly level: LogLevel,
  ) {}

  error(message: string): void {
    this.write("error", message);
  }
  info(message: string): void {
    this.write("info", message);
  }
  debug(message: string): void {
    this.write("debug", message);
  }

  private write(level: LogLevel, message: string): void {
    if (RANK[level] <= RANK[this.level]) process.stderr.write(`${new Date().toISOString()} ${this.prefix} ${level}: ${message}\n`);
  }
}
