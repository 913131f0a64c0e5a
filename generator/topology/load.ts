// Parses a topology file's YAML and keeps the source positions, so every later problem can name FILE:LINE:COL.
// Only plain YAML gets through: strings, numbers, booleans, lists and mappings, with anchors and aliases that resolve.
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, Parser, visit, type Document, type Node } from 'yaml';
import type { LocatedProblem, Problem, TopologyPath } from './problems.ts';
import { printable } from './text.ts';

/**
 * A topology is a few KiB (production's is 3); the 1,000-host benchmark's is 98 KiB. Anything over 1 MiB is another
 * file, refused before parsing (a 20 MB file took 25 s and 3.2 GB to parse). Readers read at most one byte more.
 */
export const MAX_TOPOLOGY_BYTES = 1024 * 1024;

/** Aliases may share a value; more copies than this is an alias bomb (yaml's own resource-exhaustion check). */
const MAX_ALIAS_COUNT = 100;

/** The YAML 1.2 core schema's tags: `!!str 5` is a string. Any other tag (`!env`, `!!binary`, `!!js/function`) is refused. */
const CORE_TAGS = new Map(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => [`tag:yaml.org,2002:${name}`, `!!${name}`]));

export interface SourceDocument {
  /** The file name as the user gave it: problems print it verbatim. */
  file: string;
  data: unknown;
  /** Where a path is in the file; the nearest existing ancestor when the path itself is absent. */
  locate(path: TopologyPath, atKey?: boolean): { line: number; column: number };
  /** A scalar as it is written in the file (`1e400`, `.nan`), for messages about the value YAML made of it. */
  writtenAs(path: TopologyPath): string | undefined;
}

export type ParseResult = { ok: true; source: SourceDocument } | { ok: false; problems: LocatedProblem[] };

export function parseTopologyText(file: string, text: string): ParseResult {
  const lineCounter = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problem = (offset: number, path: TopologyPath, message: string): LocatedProblem => ({ file, ...at(offset), severity: 'error', path, message });
  if (text.length > MAX_TOPOLOGY_BYTES || Buffer.byteLength(text, 'utf8') > MAX_TOPOLOGY_BYTES) {
    return { ok: false, problems: [{ file, line: 1, column: 1, severity: 'error', path: [], message: `the file is larger than 1 MiB (${MAX_TOPOLOGY_BYTES} bytes); a topology is a few KiB: is this the right file?` }] };
  }
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
  if (document.errors.length > 0) {
    return { ok: false, problems: document.errors.map((yamlError) => problem(yamlError.pos[0], [], `YAML syntax: ${firstLine(yamlError.message)}`)) };
  }
  const plainProblems = plainYamlProblems(text, document, problem);
  if (plainProblems.length > 0) return { ok: false, problems: plainProblems };
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (failure) {
    // yaml throws (without a position) when aliases expand too far: report it at the first alias.
    let first: { offset: number; path: TopologyPath } | undefined;
    visit(document, {
      Alias(_, node, ancestors) {
        first = { offset: node.range?.[0] ?? 0, path: topologyPath(ancestors, node) };
        return visit.BREAK;
      },
    });
    const message = /alias count/i.test((failure as Error).message)
      ? `YAML: the aliases expand to more than ${MAX_ALIAS_COUNT} copies (an alias bomb?): write the values out`
      : `YAML: ${firstLine((failure as Error).message)}`;
    return { ok: false, problems: [problem(first?.offset ?? 0, first?.path ?? [], message)] };
  }
  return {
    ok: true,
    source: {
      file,
      data,
      locate: (path, atKey = false) => at(offsetOf(document, path, atKey)),
      writtenAs: (path) => {
        const node = nodeAt(document, path);
        return isScalar(node) ? node.source ?? String(node.value) : undefined;
      },
    },
  };
}

/** What the YAML parser lets through but a topology must not hold: unknown tags, dangling aliases, non-scalar keys. */
function plainYamlProblems(text: string, document: Document, problem: (offset: number, path: TopologyPath, message: string) => LocatedProblem): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const seen = new Set<number>();
  const report = (offset: number, path: TopologyPath, message: string) => {
    if (seen.has(offset)) return;
    seen.add(offset);
    problems.push(problem(offset, path, message));
  };
  // Where tags are written is only worth a second parse when the document has one (most have none).
  let tags: number[] | undefined;
  // The tag of a node is the last one written before it (an anchor or a comment may stand between them).
  const tagOf = (node: Node) => {
    tags ??= tagOffsets(text);
    const start = node.range?.[0] ?? 0;
    let found = start;
    for (const offset of tags) if (offset < start) found = offset;
    return found;
  };
  // A core tag that does not fit its value (`!!int milvus`) is left a string by yaml, with a warning at the tag.
  const misfits = new Set(document.warnings.filter((warning) => warning.code === 'TAG_RESOLVE_FAILED').map((warning) => warning.pos[0]));
  visit(document, {
    Alias(_, node, ancestors) {
      const name = printable(node.source);
      if (!node.resolve(document)) report(node.range?.[0] ?? 0, topologyPath(ancestors, node), `YAML: alias *${name} refers to no anchor: define &${name} before it`);
    },
    Pair(_, pair, ancestors) {
      if (isNode(pair.key) && !isScalar(pair.key) && !isAlias(pair.key)) {
        report(pair.key.range?.[0] ?? 0, topologyPath(ancestors.slice(0, -1), ancestors[ancestors.length - 1]), 'YAML: a mapping key must be a plain string, not a list or mapping');
      }
    },
    Node(_, node, ancestors) {
      if (!node.tag) return;
      const at = tagOf(node);
      const core = CORE_TAGS.get(node.tag);
      if (core === undefined) {
        const shown = node.tag.startsWith('tag:yaml.org,2002:') ? `!!${node.tag.slice('tag:yaml.org,2002:'.length)}` : node.tag;
        report(at, topologyPath(ancestors, node), `YAML: tag ${printable(shown)} is not allowed: a topology holds strings, numbers, booleans, lists and mappings`);
      } else if (isScalar(node) && misfits.has(at)) {
        report(at, topologyPath(ancestors, node), `YAML: ${printable(JSON.stringify(node.source ?? node.value))} is not a valid ${core}`);
      }
    },
  });
  for (const warning of document.warnings) {
    if (!seen.has(warning.pos[0])) report(warning.pos[0], [], `YAML: ${firstLine(warning.message)}`);
  }
  return problems;
}

/** Where each tag is written (`!env`, `!!int`), in order: the document model keeps a node's tag, not its position. */
function tagOffsets(text: string): number[] {
  const offsets: number[] = [];
  const pending: unknown[] = [...new Parser().parse(text)];
  while (pending.length > 0) {
    const token = pending.pop();
    if (Array.isArray(token)) pending.push(...token);
    else if (token && typeof token === 'object') {
      const fields = token as Record<string, unknown>;
      if (fields.type === 'tag' && typeof fields.offset === 'number') offsets.push(fields.offset);
      else pending.push(...Object.values(fields).filter((value) => value && typeof value === 'object'));
    }
  }
  return offsets.sort((a, b) => a - b);
}

/** The topology path of `node`, from the visitor's ancestors (pairs give keys, sequences give indexes). */
function topologyPath(ancestors: readonly unknown[], node: unknown): TopologyPath {
  const path: (string | number)[] = [];
  const chain = [...ancestors, node];
  chain.forEach((ancestor, index) => {
    const child = chain[index + 1];
    if (isPair(ancestor) && child === ancestor.value && isScalar(ancestor.key)) path.push(String(ancestor.key.value));
    else if (isSeq(ancestor) && child !== undefined) path.push(ancestor.items.indexOf(child as never));
  });
  return path;
}

export function locateProblem(source: SourceDocument, problem: Problem): LocatedProblem {
  return { ...problem, file: source.file, ...source.locate(problem.path, problem.atKey) };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function offsetOf(document: Document, path: TopologyPath, atKey: boolean): number {
  let node: Node | null = document.contents;
  let offset = node?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      if (atKey && segment === path[path.length - 1]) return key.range?.[0] ?? offset;
      offset = value?.range?.[0] ?? key.range?.[0] ?? offset;
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

/** The node at exactly `path`, or undefined. */
function nodeAt(document: Document, path: TopologyPath): unknown {
  let node: unknown = document.contents;
  for (const segment of path) {
    if (isMap(node)) node = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment))?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else return undefined;
  }
  return node;
}
