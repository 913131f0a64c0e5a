// Hostile characters in any value or key: control characters (NUL, ESC, BEL, CR, newline), zero-width and bidi
// characters are refused wherever they stand, so none reaches a rendered file, a shell or a terminal. The problem line
// names the character by code point and never prints it.
import { describe, expect, it } from 'vitest';
import { editBase } from '../support.ts';
import { errorLines, F, yamlString } from './support.ts';

const CHARACTERS: [string, string][] = [
  ['NUL', '\u0000'],
  ['BEL', '\u0007'],
  ['ESC', '\u001b'],
  ['CR', '\r'],
  ['newline', '\n'],
  ['DEL', '\u007f'],
  ['C1 CSI', '\u009b'],
  ['zero-width space', '\u200b'],
  ['zero-width joiner', '\u200d'],
  ['left-to-right mark', '\u200e'],
  ['right-to-left override', '\u202e'],
  ['right-to-left isolate', '\u2067'],
  ['line separator', '\u2028'],
  ['byte order mark', '\ufeff'],
];

const code = (character: string) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Where a hostile value is put, and the line, column and path its problem must name. */
const PLACES: [string, (value: string) => string, string][] = [
  ['milvus.etcdRootPath', (value) => editBase({ 'bucket: milvus-bucket': ['bucket: milvus-bucket', `etcdRootPath: ${yamlString(value)}`] }), '38:17: error: milvus.etcdRootPath'],
  ['minio.env value', (value) => editBase({ 'consoleUrl: http://10.0.0.10:9090': ['consoleUrl: http://10.0.0.10:9090', `env: { MINIO_X: ${yamlString(value)} }`] }), '25:19: error: minio.env.MINIO_X'],
  ['console URL', (value) => editBase({ 'consoleUrl: http://10.0.0.10:9090': `consoleUrl: ${yamlString(`http://10.0.0.10:9090/${value}`)}` }), '24:15: error: minio.consoleUrl'],
  ['bucket name', (value) => editBase({ '- { name: milvus-bucket }': ['- { name: milvus-bucket }', `- { name: ${yamlString(value)} }`] }), '36:15: error: minio.buckets[1].name'],
  ['host role', (value) => editBase({ '- { name: host-b, ip: 10.0.0.2 }': `- { name: host-b, ip: 10.0.0.2, roles: [${yamlString(value)}] }` }), '10:43: error: hosts[1].roles[0]'],
  ['acknowledgement', (value) => `${editBase({})}acknowledge: [${yamlString(value)}]\n`, '38:15: error: acknowledge[0]'],
];

describe.each(PLACES)('%s', (_, place, where) => {
  it.each(CHARACTERS)('refuses %s', (__, character) => {
    const lines = errorLines(place(`by-dev${character}x`));
    expect(lines).toEqual([`${F}:${where}: character ${code(character)} is not allowed in a topology value: values end up in scripts, configs and terminals`]);
    expect(lines[0]).not.toContain(character);
  });
});

describe('keys', () => {
  it('refuses a zero-width space in a key, at the key', () => {
    const text = editBase({ 'consoleUrl: http://10.0.0.10:9090': ['consoleUrl: http://10.0.0.10:9090', `env: { ${yamlString('MINIO_X\u200b')}: "1" }`] });
    const lines = errorLines(text);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${F}:25:10: error: minio\\.env\\["MINIO_X\\\\u\\{200b\\}"\\]: character U\\+200B is not allowed in a key`));
    expect(lines[0]).not.toContain('\u200b');
  });
});

describe('what is allowed', () => {
  it('accepts ordinary values next to the refused ones', () => {
    expect(errorLines(editBase({ '- { name: host-b, ip: 10.0.0.2 }': '- { name: host-b, ip: 10.0.0.2, roles: [zk2, etcd2] }' }))).toEqual([]);
  });
});
