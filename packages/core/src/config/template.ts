/**
 * The part of mirrord's Tera templating that config files use: `{{ get_env(name="X",
 * default="y") }}` and `{{ key }}`. Rendered on the text before it is parsed, as mirrord does.
 */
import { ConfigError } from '../errors.js';

export interface TemplateContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The session key (`--key` or the `key` config value), if any. */
  readonly key?: string;
}

const EXPRESSION = /\{\{(.*?)\}\}/gs;
const GET_ENV = /^get_env\(\s*(.*?)\s*\)$/s;
const ARGUMENT = /^\s*(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(?:,|$)/s;

export function renderTemplate(text: string, file: string, context: TemplateContext): string {
  if (!text.includes('{{') && !text.includes('{%')) return text;
  const statement = text.indexOf('{%');
  if (statement >= 0) {
    throw problem(file, text, statement, 'uses a template statement ({% … %}), but only {{ get_env(…) }} and {{ key }} are supported', 'Replace the statement with a plain value or a {{ get_env(name="…", default="…") }} expression.');
  }
  return text.replace(EXPRESSION, (whole, inner: string, offset: number) => {
    const expression = inner.trim();
    if (expression === 'key') {
      if (context.key === undefined) {
        throw problem(file, text, offset, 'uses {{ key }}, but no session key is set', 'Pass --key or set "key" in the config.');
      }
      return context.key;
    }
    const call = GET_ENV.exec(expression);
    if (!call) {
      throw problem(file, text, offset, `uses the template expression ${whole.slice(0, 60)}, which is not supported`, 'Use {{ get_env(name="VAR", default="value") }} or {{ key }}.');
    }
    const args = parseArguments(call[1]!);
    if (!args || args.name === undefined) {
      throw problem(file, text, offset, `has get_env(${call[1]!.slice(0, 40)}) without a name="…" argument`, 'Write {{ get_env(name="VAR", default="value") }}.');
    }
    const value = context.env[args.name] ?? args.default;
    if (value === undefined) {
      throw problem(file, text, offset, `reads the environment variable ${args.name}, which is not set and has no default`, `Set ${args.name} or add default="…" to get_env.`);
    }
    return value;
  });
}

function parseArguments(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let rest = text;
  while (rest.trim() !== '') {
    const match = ARGUMENT.exec(rest);
    if (!match) return undefined;
    out[match[1]!] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!;
    rest = rest.slice(match[0].length);
  }
  return out;
}

function problem(file: string, text: string, offset: number, what: string, help: string): ConfigError {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return new ConfigError([{ key: '', message: `The config file ${file} ${what} (line ${line}, column ${column}).`, help, position: { line, column } }], file);
}
