import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);

// generator/render/terminalText.ts
function wrap(textLine, width, indent = 0, firstIndent = "") {
  const words = textLine.split(/\s+/).filter(Boolean);
  const lines = [];
  let current = firstIndent;
  const lead = " ".repeat(indent);
  for (const word of words) {
    const fresh = current.trim() === "";
    const candidate = fresh ? `${current}${word}` : `${current} ${word}`;
    if (candidate.length > width && !fresh) {
      lines.push(current);
      current = `${lead}${word}`;
    } else current = candidate;
  }
  if (current.trim() !== "") lines.push(current);
  return lines.length > 0 ? lines : [firstIndent.trimEnd()];
}
var plain = (markdown) => markdown.replace(/\*\*([^*]+)\*\*/g, "$1").replace(/(^|\s)_([^_]+)_(?=\s|$)/g, "$1$2");
var cellsOf = (row) => row.trim().replace(/^\|/, "").replace(/\|$/, "").split(/(?<!\\)\|/).map((cell) => plain(cell.trim().replace(/\\\|/g, "|")));
function table(rows, width) {
  const [header, , ...body] = rows.map(cellsOf);
  const titles = header ?? [];
  const widths = titles.map((title, index) => Math.max(title.length, ...body.map((cells) => (cells[index] ?? "").length)));
  const fits = widths.reduce((sum, cell) => sum + cell + 2, 0) <= width && !body.some((cells) => cells.some((cell) => cell.includes("<br>")));
  if (fits) {
    const line = (cells) => cells.map((cell, index) => cell.padEnd(widths[index])).join("  ").trimEnd();
    return [line(titles), line(widths.map((cellWidth) => "-".repeat(cellWidth))), ...body.map(line)];
  }
  const blocks = [];
  for (const cells of body) {
    blocks.push(...wrap(cells.slice(0, 2).join("  "), width, 2));
    titles.slice(2).forEach((title, offset) => {
      const parts = (cells[offset + 2] ?? "").split("<br>");
      const [first = "", ...rest] = parts;
      blocks.push(...wrap(first, width, 4, `  ${title}: `));
      for (const part of rest) blocks.push(...wrap(part, width, 7, "    "));
    });
    blocks.push("");
  }
  return blocks.slice(0, -1);
}
function markdownToTerminal(markdown, width = 100) {
  const lines = markdown.split("\n");
  const out = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const title = wrap(plain(heading[2]), width);
      out.push(...title, (heading[1].length <= 2 ? "=" : "-").repeat(Math.min(Math.max(...title.map((line2) => line2.length)), width)));
      continue;
    }
    if (line.trimStart().startsWith("|")) {
      const rows = [];
      while (index < lines.length && lines[index].trimStart().startsWith("|")) rows.push(lines[index++]);
      index--;
      out.push(...table(rows, width));
      continue;
    }
    const item = /^(\s*)([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      const lead = `${item[1]}${item[2]} `;
      out.push(...wrap(plain(item[3]), width, lead.length, lead));
      continue;
    }
    out.push(...line.trim() === "" ? [""] : wrap(plain(line), width));
  }
  return out.join("\n");
}

export {
  markdownToTerminal
};
