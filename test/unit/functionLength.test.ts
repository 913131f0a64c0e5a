// No function over ~60 lines without a comment saying why it is one piece (`// ~N lines: why`), in generator/ and the
// actions: a long function is usually several jobs, and when it is not, the reader deserves the reason. Read with the
// TypeScript compiler's own parser, so an arrow function in an object literal counts as much as a declaration.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT, sourceFiles } from '../sourceFiles.ts';

const root = REPOSITORY_ROOT;
const LIMIT = 60;

/** Functions longer than the limit whose leading comments (or the line above) do not say `~N lines` and why. */
export function unexplainedLongFunctions(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const lines = text.split('\n');
  const visit = (node: ts.Node) => {
    const isFunction = ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node);
    if (isFunction && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const length = end - start + 1;
      if (length > LIMIT) {
        // The statement the function stands in (`export const x = async () => …`, a property): its comments count.
        let holder: ts.Node = node;
        while (holder.parent && !ts.isSourceFile(holder.parent) && !ts.isBlock(holder.parent) && !ts.isClassDeclaration(holder.parent) && !ts.isObjectLiteralExpression(holder.parent)) holder = holder.parent;
        const holderLine = source.getLineAndCharacterOfPosition(holder.getStart()).line;
        const above = lines.slice(Math.max(0, holderLine - 12), holderLine).join('\n');
        const comments = (ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? []).map((range) => text.slice(range.pos, range.end)).join('\n');
        if (!/~\d+ lines\b/.test(`${comments}\n${above}`)) found.push(`${file}:${start + 1}: ${length} lines`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('long functions', () => {
  it('are explained: over 60 lines, a `// ~N lines: why` comment stands above', () => {
    expect(sourceFiles().flatMap((file) => unexplainedLongFunctions(file, readFileSync(path.join(root, file), 'utf8')))).toEqual([]);
  });

  it('are found (the check can fail)', () => {
    const body = Array.from({ length: 70 }, (_, index) => `  const a${index} = ${index};`).join('\n');
    expect(unexplainedLongFunctions('x.ts', `export function long() {\n${body}\n}\n`)).toEqual(['x.ts:1: 72 lines']);
    expect(unexplainedLongFunctions('x.ts', `// ~72 lines: one table.\nexport function long() {\n${body}\n}\n`)).toEqual([]);
    expect(unexplainedLongFunctions('x.ts', `export const run = async () => {\n${body}\n};\n`)).toEqual(['x.ts:1: 72 lines']);
  });
});
