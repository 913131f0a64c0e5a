// The plan cases themselves (cases.ts): every patch applies to the frozen base and changes something.
import { describe, expect, it } from 'vitest';
import { applyHunks, BASE, CASE_NAMES, caseText } from './cases.ts';

describe('plan cases', () => {
  it('every case has two different sides', () => {
    expect(CASE_NAMES.length).toBeGreaterThan(60);
    for (const name of CASE_NAMES) expect(caseText(name, 'before'), name).not.toBe(caseText(name, 'after'));
  });

  it('places a hunk by its text, and refuses one whose lines occur other than once', () => {
    expect(applyHunks('a\nb\nc', [[' b', '-c', '+d']], 'x')).toBe('a\nb\nd');
    expect(() => applyHunks(BASE, [['     replicas: 2', '+    replicas: 3']], 'proxy')).toThrow(/occur 2 times, expected once/);
    expect(() => applyHunks(BASE, [[' no such line']], 'missing')).toThrow(/occur 0 times/);
  });
});
