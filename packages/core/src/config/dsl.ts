/**
 * A small schema language for mirrord's config: one definition yields the parser (with
 * mirrord's shorthand forms), the defaults, the TypeScript type of the normalised config and
 * the JSON Schema shipped for editors. Parsers collect every problem with its key path instead
 * of stopping at the first, so `verify-config` can list them all.
 */
import { closest } from './suggest.js';

export type KeyPath = readonly (string | number)[];
export type JsonSchema = { [key: string]: unknown };

/** A problem before its file position is known. */
export interface Finding {
  readonly path: KeyPath;
  readonly message: string;
  readonly help: string;
}

export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

export class ParseContext {
  readonly findings: Finding[] = [];
  readonly warnings: string[] = [];

  fail(path: KeyPath, message: string, help: string): Invalid {
    this.findings.push({ path, message, help });
    return INVALID;
  }
}

export interface Type<T> {
  /** What is allowed, in words that finish "… must be": `true or false`. */
  readonly expected: string;
  parse(value: unknown, path: KeyPath, ctx: ParseContext): T | Invalid;
  schema(): JsonSchema;
}

export type Infer<X> = X extends Type<infer T> ? T : never;

// ---------------------------------------------------------------- wording

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `feature.env.override["A.B"]`, `agent.tolerations[0].key` */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (SIMPLE_KEY.test(segment) && segment.length <= 60) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(truncate(segment, 40))}]`;
  }
  return out;
}

function subject(path: KeyPath): string {
  return path.length === 0 ? 'The config' : `\`${formatPath(path)}\``;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A short description of a value for messages: `42`, `"stael"`, `a list`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(truncate(value, 60));
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** `"a", "b" or "c"` */
export function listWords(words: readonly string[], conjunction = 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

function mismatch<T>(type: Type<T>, value: unknown, path: KeyPath, ctx: ParseContext): Invalid {
  return ctx.fail(
    path,
    `${subject(path)} is ${describeValue(value)}, but it must be ${type.expected}.`,
    `Set ${formatPath(path) || 'the config'} to ${type.expected}.`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------- scalars

export function bool(): Type<boolean> {
  const type: Type<boolean> = {
    expected: 'true or false',
    parse: (value, path, ctx) => (typeof value === 'boolean' ? value : mismatch(type, value, path, ctx)),
    schema: () => ({ type: 'boolean' }),
  };
  return type;
}

export interface StringOptions {
  /** Returns a sentence fragment saying why the string is not acceptable, e.g. "is not a valid regular expression". */
  readonly check?: (value: string) => string | undefined;
  readonly expected?: string;
  readonly format?: string;
}

export function string(options: StringOptions = {}): Type<string> {
  const type: Type<string> = {
    expected: options.expected ?? 'a string',
    parse(value, path, ctx) {
      if (typeof value !== 'string') return mismatch(type, value, path, ctx);
      const why = options.check?.(value);
      if (why) {
        return ctx.fail(path, `${subject(path)} is ${describeValue(value)}, which ${why}.`, `Set ${formatPath(path)} to ${type.expected}.`);
      }
      return value;
    },
    schema: () => ({ type: 'string', ...(options.format ? { format: options.format } : {}) }),
  };
  return type;
}

export function integer(min: number, max: number): Type<number> {
  const type: Type<number> = {
    expected: `a whole number from ${min} to ${max}`,
    parse(value, path, ctx) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        return mismatch(type, value, path, ctx);
      }
      return value;
    },
    schema: () => ({ type: 'integer', minimum: min, maximum: max }),
  };
  return type;
}

export function number(min: number, max: number): Type<number> {
  const type: Type<number> = {
    expected: `a number from ${min} to ${max}`,
    parse(value, path, ctx) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) return mismatch(type, value, path, ctx);
      return value;
    },
    schema: () => ({ type: 'number', minimum: min, maximum: max }),
  };
  return type;
}

export function oneOf<const V extends string>(values: readonly V[], options: { ignoreCase?: boolean } = {}): Type<V> {
  const type: Type<V> = {
    expected: `one of ${listWords(values.map((v) => JSON.stringify(v)))}`,
    parse(value, path, ctx) {
      if (typeof value === 'string') {
        const found = values.find((v) => (options.ignoreCase ? v.toLowerCase() === value.toLowerCase() : v === value));
        if (found !== undefined) return found;
        const guess = closest(value, values);
        if (guess !== undefined) {
          return ctx.fail(
            path,
            `${subject(path)} is ${describeValue(value)}, but it must be ${type.expected} (did you mean "${guess}"?).`,
            `Set ${formatPath(path)} to "${guess}".`,
          );
        }
      }
      return mismatch(type, value, path, ctx);
    },
    schema: () => ({ type: 'string', enum: [...values] }),
  };
  return type;
}

/** Any JSON value, kept as it is (keys mirrord has but this implementation does not act on). */
export function anyValue(): Type<unknown> {
  return { expected: 'any value', parse: (value) => value, schema: () => ({}) };
}

// ---------------------------------------------------------------- containers

export function list<T>(item: Type<T>, options: { minItems?: number } = {}): Type<T[]> {
  const min = options.minItems ?? 0;
  const type: Type<T[]> = {
    expected: `a list of ${item.expected}${min > 0 ? ` with at least ${min} item${min > 1 ? 's' : ''}` : ''}`,
    parse(value, path, ctx) {
      if (!Array.isArray(value) || value.length < min) return mismatch(type, value, path, ctx);
      const out: T[] = [];
      let ok = true;
      value.forEach((element, index) => {
        const parsed = item.parse(element, [...path, index], ctx);
        if (parsed === INVALID) ok = false;
        else out.push(parsed);
      });
      return ok ? out : INVALID;
    },
    schema: () => ({ type: 'array', items: item.schema(), ...(min > 0 ? { minItems: min } : {}) }),
  };
  return type;
}

export function tuple<A, B>(first: Type<A>, second: Type<B>): Type<[A, B]> {
  const type: Type<[A, B]> = {
    expected: `a pair [${first.expected}, ${second.expected}]`,
    parse(value, path, ctx) {
      if (!Array.isArray(value) || value.length !== 2) return mismatch(type, value, path, ctx);
      const a = first.parse(value[0], [...path, 0], ctx);
      const b = second.parse(value[1], [...path, 1], ctx);
      return a === INVALID || b === INVALID ? INVALID : [a, b];
    },
    schema: () => ({ type: 'array', items: [first.schema(), second.schema()], minItems: 2, maxItems: 2 }),
  };
  return type;
}

export function record<T>(value: Type<T>): Type<Record<string, T>> {
  const type: Type<Record<string, T>> = {
    expected: `an object whose values are ${value.expected}`,
    parse(input, path, ctx) {
      if (!isPlainObject(input)) return mismatch(type, input, path, ctx);
      const out: Record<string, T> = {};
      let ok = true;
      for (const [key, element] of Object.entries(input)) {
        const parsed = value.parse(element, [...path, key], ctx);
        if (parsed === INVALID) ok = false;
        else out[key] = parsed;
      }
      return ok ? out : INVALID;
    },
    schema: () => ({ type: 'object', additionalProperties: value.schema() }),
  };
  return type;
}

// ---------------------------------------------------------------- objects

type FieldMode = 'default' | 'optional' | 'compat';

/** One key of an object. `T` is the type of the key in the normalised config. */
export class Field<T> {
  declare readonly _value: T;
  constructor(
    readonly type: Type<unknown>,
    readonly mode: FieldMode,
    readonly description: string,
    /** The default as a user would write it in the file; parsed to get the normalised default. */
    readonly defaultInput?: unknown,
    /** Extra words added to the JSON Schema description and to warnings, e.g. operator-only. */
    readonly note?: string,
  ) {}
}

/** A key with mirrord's default, written as a user would write it. Missing or null means the default. */
export function withDefault<T>(type: Type<T>, defaultInput: unknown, description: string): Field<T> {
  return new Field<T>(type, 'default', description, defaultInput);
}

/** A key without a default: `null` in the normalised config when unset. */
export function optional<T>(type: Type<T>, description: string): Field<T | null> {
  return new Field<T | null>(type, 'optional', description);
}

/**
 * A key mirrord's schema has that this implementation accepts but does not act on
 * (operator-only features, macOS-only knobs). Accepted so existing config files keep
 * working; a warning says it has no effect.
 */
export function compat(description: string, note: string): Field<unknown> {
  return new Field<unknown>(anyValue(), 'compat', description, undefined, note);
}

export type ObjectValue<F extends Record<string, Field<unknown>>> = { -readonly [K in keyof F]: F[K]['_value'] };

export interface ObjectType<T> extends Type<T> {
  readonly keys: readonly string[];
}

export interface ObjectOptions<T> {
  readonly description?: string;
  /** Checks across keys (e.g. two keys that exclude each other); report through ctx. */
  readonly refine?: (value: T, path: KeyPath, ctx: ParseContext) => void;
}

export function object<F extends Record<string, Field<unknown>>>(fields: F, options: ObjectOptions<ObjectValue<F>> = {}): ObjectType<ObjectValue<F>> {
  const keys = Object.keys(fields);
  const defaults = new Map<string, unknown>();

  function defaultOf(key: string, field: Field<unknown>, path: KeyPath): unknown {
    if (field.mode !== 'default') return null;
    if (!defaults.has(key)) {
      const scratch = new ParseContext();
      const parsed = field.type.parse(field.defaultInput, [...path, key], scratch);
      if (parsed === INVALID) throw new Error(`default of ${formatPath([...path, key])} does not parse: ${scratch.findings[0]?.message}`);
      defaults.set(key, parsed);
    }
    return structuredClone(defaults.get(key));
  }

  const type: ObjectType<ObjectValue<F>> = {
    keys,
    expected: 'an object',
    parse(value, path, ctx) {
      if (!isPlainObject(value)) return mismatch(type, value, path, ctx);
      let ok = true;
      for (const key of Object.keys(value)) {
        if (Object.hasOwn(fields, key)) continue;
        ok = false;
        const guess = closest(key, keys);
        const where = path.length ? ` under \`${formatPath(path)}\`` : ' at the top level';
        ctx.fail(
          [...path, key],
          `\`${formatPath([...path, key])}\` is not a known key${guess ? ` (did you mean \`${formatPath([...path, guess])}\`?)` : ''}.`,
          `Remove it or use one of the keys allowed${where}: ${keys.join(', ')}.`,
        );
      }
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(fields)) {
        const input = value[key];
        if (input === undefined || input === null) {
          out[key] = defaultOf(key, field, path);
          continue;
        }
        if (field.mode === 'compat') {
          ctx.warnings.push(`\`${formatPath([...path, key])}\` ${field.note ?? 'has no effect here'}; it is ignored.`);
          out[key] = input;
          continue;
        }
        const parsed = field.type.parse(input, [...path, key], ctx);
        if (parsed === INVALID) ok = false;
        else out[key] = parsed;
      }
      if (!ok) return INVALID;
      const result = out as ObjectValue<F>;
      if (options.refine) {
        const before = ctx.findings.length;
        options.refine(result, path, ctx);
        if (ctx.findings.length > before) return INVALID;
      }
      return result;
    },
    schema() {
      const properties: Record<string, JsonSchema> = {};
      for (const [key, field] of Object.entries(fields)) {
        const description = field.note ? `${field.description} (${field.note}.)` : field.description;
        properties[key] = {
          ...field.type.schema(),
          description,
          ...(field.mode === 'default' ? { default: field.defaultInput } : {}),
        };
        if (field.mode !== 'default') {
          // mirrord's Option<> keys accept an explicit null.
          properties[key] = { anyOf: [properties[key], { type: 'null' }], description };
        }
      }
      return {
        type: 'object',
        ...(options.description ? { description: options.description } : {}),
        properties,
        additionalProperties: false,
      };
    },
  };
  return type;
}

// ---------------------------------------------------------------- shorthand forms

type JsonKind = 'boolean' | 'string' | 'number' | 'list' | 'object';

function kindOf(value: unknown): JsonKind | undefined {
  if (Array.isArray(value)) return 'list';
  if (isPlainObject(value)) return 'object';
  const t = typeof value;
  return t === 'boolean' || t === 'string' || t === 'number' ? t : undefined;
}

/** One accepted JSON kind of a key and how it becomes the normalised value. */
export interface Branch<T> {
  readonly type: Type<unknown>;
  readonly to: (parsed: never) => T;
}

export function branch<A, T>(type: Type<A>, to: (parsed: A) => T): Branch<T> {
  return { type, to: to as (parsed: never) => T };
}

/**
 * mirrord's shorthands: a key that takes, say, `true`, `"steal"` or a full object. The JSON
 * kind of the value picks the branch, so errors come from inside the branch the user meant.
 */
export function shorthand<T>(branches: Partial<Record<JsonKind, Branch<T>>>, expected?: string): Type<T> {
  const entries = Object.entries(branches) as [JsonKind, Branch<T>][];
  const type: Type<T> = {
    expected: expected ?? listWords(entries.map(([, b]) => b.type.expected)),
    parse(value, path, ctx) {
      const kind = kindOf(value);
      const chosen = kind ? branches[kind] : undefined;
      if (!chosen) return mismatch(type, value, path, ctx);
      const parsed = chosen.type.parse(value, path, ctx);
      return parsed === INVALID ? INVALID : chosen.to(parsed as never);
    },
    schema: () => ({ anyOf: entries.map(([, b]) => b.type.schema()) }),
  };
  return type;
}

/** `"A;B"` or `["A", "B"]` → `["A", "B"]` (mirrord's VecOrSingle with `;` separators). */
export function semicolonList(): Type<string[]> {
  return shorthand<string[]>(
    {
      string: branch(string(), (s) => s.split(';').map((x) => x.trim()).filter((x) => x.length > 0)),
      list: branch(list(string()), (items) => items),
    },
    'a string with names separated by ";" or a list of strings',
  );
}

/** A single string or a list of them → a list. */
export function stringOrList(item: Type<string> = string()): Type<string[]> {
  return shorthand<string[]>(
    { string: branch(item, (v) => [v]), list: branch(list(item), (items) => items) },
    `${item.expected} or a list of them`,
  );
}

/** The normalised value a type gives for an input that must be valid (defaults of a shorthand). */
export function valueOf<T>(type: Type<T>, input: unknown): T {
  const ctx = new ParseContext();
  const parsed = type.parse(input, [], ctx);
  if (parsed === INVALID) throw new Error(`built-in default does not parse: ${ctx.findings[0]?.message}`);
  return parsed;
}
