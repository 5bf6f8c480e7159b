// Why Save and Run are disabled, in words.
import { describe, expect, it } from 'vitest';
import { runBlocker, saveBlocker, type SaveFacts } from './readiness';

const ready: SaveFacts = { role: 'operator', name: 'web', nodes: 2, validation: 'valid', problems: 0, yamlProblems: 0, saving: false, edited: true, saved: false };

describe('saveBlocker', () => {
  it('lets an operator save a named, valid pipeline', () => {
    expect(saveBlocker(ready)).toBeNull();
    expect(saveBlocker({ ...ready, validation: 'checking' })).toBeNull();
  });
  it('says why not', () => {
    expect(saveBlocker({ ...ready, role: 'viewer' })).toMatch(/Viewers cannot save/);
    expect(saveBlocker({ ...ready, name: ' ' })).toBe('Name the pipeline first.');
    expect(saveBlocker({ ...ready, nodes: 0 })).toBe('Add a node first.');
    expect(saveBlocker({ ...ready, validation: 'invalid', problems: 2 })).toBe('Fix the 2 problems first.');
    expect(saveBlocker({ ...ready, validation: 'invalid', problems: 1 })).toBe('Fix the problem first.');
    expect(saveBlocker({ ...ready, yamlProblems: 1 })).toMatch(/Fix the YAML/);
    expect(saveBlocker({ ...ready, saved: true, edited: false })).toBe('No changes to save.');
  });
});

describe('runBlocker', () => {
  it('runs only what is saved, for operators and admins', () => {
    expect(runBlocker({ role: 'admin', saved: true, edited: false })).toBeNull();
    expect(runBlocker({ role: 'operator', saved: false, edited: true })).toMatch(/Save the pipeline first/);
    expect(runBlocker({ role: 'operator', saved: true, edited: true })).toMatch(/Save your changes first/);
    expect(runBlocker({ role: 'viewer', saved: true, edited: false })).toMatch(/Viewers cannot start runs/);
  });
});
