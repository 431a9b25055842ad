/**
 * Reading a config file's text into plain data, remembering where each key stands so errors
 * can name a line. JSON allows comments and trailing commas (mirrord's own docs use both);
 * YAML and TOML as usual. Syntax errors become ConfigErrors with the parser's position.
 */
import * as jsonc from 'jsonc-parser';
import { TomlError, parse as parseToml } from 'smol-toml';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit, type Node as YamlNode } from 'yaml';
import { ConfigError, type ConfigProblem } from '../errors.js';
import type { KeyPath } from './dsl.js';

export type ConfigFormat = 'json' | 'yaml' | 'toml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface ParsedSource {
  readonly data: unknown;
  /** Where the value at `path` (or the key itself, for `key: true`) is written, if known. */
  locate(path: KeyPath, options?: { key?: boolean }): Position | undefined;
}

/** Deeper than any real config; keeps recursive parsers far from the stack limit. */
export const MAX_NESTING = 64;

export function formatOf(file: string): ConfigFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json') || lower.endsWith('.jsonc') || lower.endsWith('.json5')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.toml')) return 'toml';
  return undefined;
}

export function parseSource(text: string, format: ConfigFormat, file: string): ParsedSource {
  if (text.trim() === '') {
    fail(file, 'is empty', 'Write {} (or the YAML/TOML equivalent) for all defaults.', { line: 1, column: 1 });
  }
  const tooDeep = findExcessNesting(text, format);
  if (tooDeep) fail(file, `nests more than ${MAX_NESTING} levels deep`, 'Flatten the structure; no mirrord key nests that deep.', tooDeep);
  try {
    switch (format) {
      case 'json':
        return parseJson(text, file);
      case 'yaml':
        return parseYaml(text, file);
      case 'toml':
        return parseTomlSource(text, file);
    }
  } catch (error) {
    // A parser that recursed past the stack despite the nesting check above.
    if (error instanceof RangeError) fail(file, 'nests too deeply to read', 'Flatten the structure; no mirrord key nests that deep.', { line: 1, column: 1 });
    throw error;
  }
}

function fail(file: string, what: string, help: string, position?: Position): never {
  const where = position ? ` at line ${position.line}, column ${position.column}` : '';
  const problem: ConfigProblem = { key: '', message: `The config file ${file} ${what}${where}.`, help, ...(position ? { position } : {}) };
  throw new ConfigError([problem], file);
}

function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Bracket depth outside strings and comments, for the flow syntaxes of JSON and YAML and
 * TOML's inline tables/arrays; block-indented YAML is bounded later by the schema walk.
 */
function findExcessNesting(text: string, format: ConfigFormat): Position | undefined {
  if (format === 'yaml') {
    const indented = findExcessIndentation(text);
    if (indented) return indented;
  }
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || (c === "'" && format !== 'json')) quote = c;
    else if (c === '#' && format !== 'json') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && format === 'json' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) return positionAt(text, i);
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** Block-style YAML nests by indentation: count the open indentation levels. */
function findExcessIndentation(text: string): Position | undefined {
  const open: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.search(/\S/);
    if (indent < 0 || line[indent] === '#') continue;
    while (open.length > 0 && open[open.length - 1]! >= indent) open.pop();
    open.push(indent);
    if (open.length > MAX_NESTING) return { line: i + 1, column: indent + 1 };
  }
  return undefined;
}

// ---------------------------------------------------------------- JSON

function parseJson(text: string, file: string): ParsedSource {
  const errors: jsonc.ParseError[] = [];
  const tree = jsonc.parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first || !tree) {
    const offset = first?.offset ?? 0;
    const what = first ? describeJsonError(first.error) : 'has no JSON value';
    fail(file, `is not valid JSON (${what})`, 'Fix the JSON syntax at that position.', positionAt(text, offset));
  }
  return {
    data: jsonc.getNodeValue(tree),
    locate(path, options) {
      const node = jsonc.findNodeAtLocation(tree, [...path]);
      if (!node) return undefined;
      const target = options?.key && node.parent?.type === 'property' ? node.parent : node;
      return positionAt(text, target.offset);
    },
  };
}

const JSON_ERROR_WORDS: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'bad number',
  PropertyNameExpected: 'a key in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'text after the end of the document',
  UnexpectedEndOfComment: 'an unfinished comment',
  UnexpectedEndOfString: 'an unfinished string',
  UnexpectedEndOfNumber: 'an unfinished number',
  InvalidUnicode: 'a bad \\u escape',
  InvalidEscapeCharacter: 'a bad escape',
  InvalidCharacter: 'an invalid character',
};

function describeJsonError(code: jsonc.ParseErrorCode): string {
  return JSON_ERROR_WORDS[jsonc.printParseErrorCode(code)] ?? 'syntax error';
}

// ---------------------------------------------------------------- YAML

function parseYaml(text: string, file: string): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const message = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    fail(file, `is not valid YAML (${message})`, 'Fix the YAML syntax at that position.', { line: pos.line, column: pos.col });
  }
  let data: unknown;
  try {
    // maxAliasCount bounds alias expansion ("billion laughs").
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    let firstAlias: number | undefined;
    visit(doc, {
      Alias(_, node) {
        firstAlias = node.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = firstAlias === undefined ? undefined : lineCounter.linePos(firstAlias);
    fail(
      file,
      `could not be read as YAML (${error instanceof Error ? error.message : String(error)})`,
      'Remove the aliases (*name) that repeat large parts of the file.',
      pos ? { line: pos.line, column: pos.col } : { line: 1, column: 1 },
    );
  }
  return {
    data,
    locate(path, options) {
      let node: unknown = doc.contents;
      let keyNode: unknown;
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
          if (!pair) return undefined;
          keyNode = pair.key;
          node = pair.value;
        } else if (isSeq(node) && typeof segment === 'number') {
          keyNode = undefined;
          node = node.items[segment];
        } else return undefined;
      }
      const target = (options?.key && keyNode ? keyNode : node) as YamlNode | undefined;
      const offset = target?.range?.[0];
      if (offset === undefined) return undefined;
      const pos = lineCounter.linePos(offset);
      return { line: pos.line, column: pos.col };
    },
  };
}

// ---------------------------------------------------------------- TOML

function parseTomlSource(text: string, file: string): ParsedSource {
  let data: unknown;
  try {
    data = parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      fail(file, `is not valid TOML (${reason})`, 'Fix the TOML syntax at that position.', { line: error.line, column: error.column });
    }
    if (error instanceof RangeError) throw error;
    fail(file, `is not valid TOML (${error instanceof Error ? error.message : String(error)})`, 'Fix the TOML syntax.', { line: 1, column: 1 });
  }
  const lines = text.split('\n');
  return {
    data,
    // smol-toml keeps no positions: find the line that writes the last key (`key =` or a
    // `[table.key]` header). Good enough to point a person at the right line.
    locate(path) {
      const last = [...path].reverse().find((s): s is string => typeof s === 'string');
      if (last === undefined) return undefined;
      const escaped = last.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const assignment = new RegExp(`^\\s*(?:"${escaped}"|'${escaped}'|${escaped})\\s*=`);
      const header = new RegExp(`^\\s*\\[\\[?[^\\]]*\\b${escaped}\\]\\]?\\s*(#.*)?$`);
      const inline = new RegExp(`[{,]\\s*(?:"${escaped}"|${escaped})\\s*=`);
      for (const matcher of [assignment, header, inline]) {
        const index = lines.findIndex((l) => matcher.test(l));
        if (index >= 0) return { line: index + 1, column: (lines[index]!.search(/\S/) ?? 0) + 1 };
      }
      return undefined;
    },
  };
}
