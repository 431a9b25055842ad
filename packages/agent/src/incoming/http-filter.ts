/**
 * Which HTTP requests a filtered steal takes, with mirrord's http_filter semantics: every
 * criterion that is set must hold; header and path regexes are case-insensitive; a header
 * regex sees each header as "name: value"; a path regex may match the path alone or the path
 * with its query; the method compares case-insensitively; all_of / any_of nest.
 */
import type { HttpFilter__Output } from "@mirrord-ts/protocol";

/** A filter regex that does not compile. */
export class HttpFilterError extends Error {
  override readonly name = "HttpFilterError";
}

export interface RequestFacts {
  /** Lower-case name and value pairs, without HTTP/2 pseudo-headers. */
  headers: ReadonlyArray<readonly [string, string]>;
  /** Path and query as sent. */
  path: string;
  method: string;
}

type Criterion = (request: RequestFacts) => boolean;

function compile(source: string, what: string): RegExp {
  try {
    return new RegExp(source, "i");
  } catch (error) {
    throw new HttpFilterError(`The ${what} filter /${source}/ is not a valid regular expression: ${(error as Error).message}`);
  }
}

function criteria(filter: HttpFilter__Output): Criterion[] {
  const out: Criterion[] = [];
  if (filter.headerRegex) {
    const re = compile(filter.headerRegex, "header");
    out.push((r) => r.headers.some(([name, value]) => re.test(`${name}: ${value}`)));
  }
  if (filter.pathRegex) {
    const re = compile(filter.pathRegex, "path");
    out.push((r) => re.test(r.path.split("?")[0]!) || re.test(r.path));
  }
  if (filter.method) {
    const method = filter.method.toUpperCase();
    out.push((r) => r.method.toUpperCase() === method);
  }
  // Nested filters that set nothing are left out, as if absent.
  const all = filter.allOf.map((f) => criteria(f)).filter((c) => c.length > 0);
  if (all.length > 0) out.push((r) => all.every((c) => c.every((test) => test(r))));
  const any = filter.anyOf.map((f) => criteria(f)).filter((c) => c.length > 0);
  if (any.length > 0) out.push((r) => any.some((c) => c.every((test) => test(r))));
  return out;
}

/** True when the filter sets any criterion (an empty one means "steal whole connections"). */
export function hasCriteria(filter: HttpFilter__Output | null | undefined): filter is HttpFilter__Output {
  return !!filter && criteria(filter).length > 0;
}

export class RequestFilter {
  private constructor(private readonly tests: Criterion[]) {}

  static compile(filter: HttpFilter__Output): RequestFilter {
    return new RequestFilter(criteria(filter));
  }

  matches(request: RequestFacts): boolean {
    // The kubelet's HTTP probes must reach the app whatever the filter says.
    if (request.headers.some(([name, value]) => name === "user-agent" && value.startsWith("kube-probe/"))) return false;
    return this.tests.every((test) => test(request));
  }
}
