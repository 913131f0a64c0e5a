// Parses a topology file's YAML and keeps the source positions, so every later problem can name FILE:LINE:COL.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { LocatedProblem, Problem, TopologyPath } from './problems.ts';

export interface SourceDocument {
  /** The file name as the user gave it: problems print it verbatim. */
  file: string;
  data: unknown;
  /** Where a path is in the file; the nearest existing ancestor when the path itself is absent. */
  locate(path: TopologyPath, atKey?: boolean): { line: number; column: number };
}

export type ParseResult = { ok: true; source: SourceDocument } | { ok: false; problems: LocatedProblem[] };

export function parseTopologyText(file: string, text: string): ParseResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((yamlError) => ({
        file,
        ...at(yamlError.pos[0]),
        severity: 'error',
        path: [],
        message: `YAML syntax: ${firstLine(yamlError.message)}`,
      })),
    };
  }
  return {
    ok: true,
    source: {
      file,
      data: document.toJS({ maxAliasCount: 100 }),
      locate: (path, atKey = false) => at(offsetOf(document, path, atKey)),
    },
  };
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
