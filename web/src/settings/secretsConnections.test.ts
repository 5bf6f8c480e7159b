import { describe, expect, it } from 'vitest';
import { checkLook, checkRefusal, connectionLook, manageRefusal, newConnectionBody } from './connections';
import { GLOBAL } from './projectChoice';
import { secretNameProblem, secretScopeWords, secretsRefusal, secretValueProblem } from './secrets';

describe('secret names follow the server rule [A-Z_][A-Z0-9_]*', () => {
  it('accepts upper-case names with digits and underscores', () => {
    for (const n of ['DEPLOY_TOKEN', '_X', 'A1', 'DB_PASSWORD_2']) expect(secretNameProblem(n)).toBeNull();
  });
  it('refuses lower case, a leading digit, dashes, spaces and an empty name', () => {
    for (const n of ['deploy_token', '1ABC', 'A-B', 'A B', 'ÄB']) expect(secretNameProblem(n)).toMatch(/Capital letters/);
    expect(secretNameProblem('')).toBe('Give the name first');
  });
  it('refuses the reserved OPZENIX_ prefix and names over 128 characters', () => {
    expect(secretNameProblem('OPZENIX_TOKEN')).toMatch(/reserved/);
    expect(secretNameProblem('A'.repeat(129))).toBe('At most 128 characters');
    expect(secretNameProblem('A'.repeat(128))).toBeNull();
  });
  it('values: required, at most 64 KiB (bytes, not characters), no NUL', () => {
    expect(secretValueProblem('')).toBe('Give the value');
    expect(secretValueProblem('x'.repeat(65536))).toBeNull();
    expect(secretValueProblem('x'.repeat(65537))).toBe('At most 64 KiB');
    expect(secretValueProblem('é'.repeat(32769))).toBe('At most 64 KiB');
    expect(secretValueProblem('a\0b')).toMatch(/NUL/);
  });
});

describe('secret scope and who may change secrets', () => {
  it('says where a secret applies', () => {
    expect(secretScopeWords({ scope: 'global', environment: null })).toBe('Every project');
    expect(secretScopeWords({ scope: 'project', environment: null })).toBe('Every environment');
    expect(secretScopeWords({ scope: 'environment', environment: 'Production' })).toBe('Production only');
  });
  it('operators and admins manage a project’s secrets, only admins the global ones', () => {
    expect(secretsRefusal('viewer', 'p1')).toMatch(/operators and admins/);
    expect(secretsRefusal('operator', 'p1')).toBeNull();
    expect(secretsRefusal('operator', GLOBAL)).toMatch(/Only admins/);
    expect(secretsRefusal('admin', GLOBAL)).toBeNull();
  });
});

describe('connection status wording', () => {
  it('maps a connection’s status into the status vocabulary with a word', () => {
    expect(connectionLook('active')).toEqual({ status: 'success', word: 'Healthy' });
    expect(connectionLook('degraded')).toEqual({ status: 'warning', word: 'Degraded' });
    expect(connectionLook('failed')).toEqual({ status: 'failed', word: 'Unhealthy' });
    expect(connectionLook('pending')).toEqual({ status: 'pending', word: 'Not checked yet' });
  });
  it('a check says its outcome and response time', () => {
    expect(checkLook({ status: 'healthy', response_time_ms: 12 })).toEqual({ status: 'success', word: 'Healthy in 12 ms' });
    expect(checkLook({ status: 'unhealthy', response_time_ms: null })).toEqual({ status: 'failed', word: 'Unhealthy' });
    expect(checkLook({ status: 'degraded', response_time_ms: 0 }).word).toBe('Degraded in 0 ms');
  });
  it('checks: operators and admins; adding and deleting: admins', () => {
    expect(checkRefusal('viewer')).toMatch(/operators and admins/);
    expect(checkRefusal('operator')).toBeNull();
    expect(manageRefusal('operator', 'delete')).toBe('Only admins can delete connections');
    expect(manageRefusal('admin', 'delete')).toBeNull();
  });
  it('builds the create body without empty optional fields', () => {
    expect(newConnectionBody('http', ' api ', ' http://x/healthz ', 'ignored', '')).toEqual({ type: 'http', name: 'api', config: { url: 'http://x/healthz' } });
    expect(newConnectionBody('registry', 'r', 'https://r', 'bot', 's3cret')).toEqual({ type: 'registry', name: 'r', config: { url: 'https://r', username: 'bot' }, secret: 's3cret' });
    expect(newConnectionBody('github', 'gh', '', '', 'tok')).toEqual({ type: 'github', name: 'gh', config: {}, secret: 'tok' });
  });
});
