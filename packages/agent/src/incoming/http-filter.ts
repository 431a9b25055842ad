/** Which HTTP requests a filtered steal takes. */
import type { HttpFilter__Output } from "@mirrord-ts/protocol";

/** A filter regex that does not compile. */
export class HttpFilterError extends Error {
  override readonly name = "HttpFilterError";
}

export class RequestFilter {
  private constructor(
    private readonly header: RegExp | undefined,
    private readonly path: RegExp | undefined,
  ) {}

  static compile(filter: HttpFilter__Output): RequestFilter {
    const compile = (source: string, what: string): RegExp | undefined => {
      if (!source) return undefined;
      try {
        return new RegExp(source);
      } catch (error) {
        throw new HttpFilterError(`The ${what} filter /${source}/ is not a valid regular expression: ${(error as Error).message}`);
      }
    };
    return new RequestFilter(compile(filter.headerRegex, "header"), compile(filter.pathRegex, "path"));
  }

  /** headers: lower-case name and value pairs, without HTTP/2 pseudo-headers. */
  matches(headers: ReadonlyArray<readonly [string, string]>, path: string): boolean {
    // The kubelet's HTTP probes must reach the app whatever the filter says.
    if (headers.some(([name, value]) => name === "user-agent" && value.startsWith("kube-probe/"))) return false;
    const headerOk = !this.header || headers.some(([name, value]) => this.header!.test(`${name}: ${value}`));
    const pathOk = !this.path || this.path.test(path);
    return headerOk && pathOk;
  }
}
