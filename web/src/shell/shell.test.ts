import { describe, expect, it } from 'vitest';
import { loginPath, safeNext } from './loginRedirect';
import { searchTarget } from './SearchBox';
import { isTypingTarget, shortcutFor } from './shortcuts';

describe('login redirects', () => {
  it('carries where you were and whether the session expired', () => {
    expect(loginPath('/executions?status=failed', true)).toBe('/login?next=%2Fexecutions%3Fstatus%3Dfailed&expired=1');
    expect(loginPath('/')).toBe('/login');
  });

  it('only ever returns to a path inside the app', () => {
    expect(safeNext('/executions/1')).toBe('/executions/1');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});

describe('shortcuts', () => {
  it('maps keys and g-sequences to actions', () => {
    expect(shortcutFor('/', null)).toBe('search');
    expect(shortcutFor('?', null)).toBe('help');
    expect(shortcutFor('d', 'g')).toBe('go-dashboard');
    expect(shortcutFor('e', 'g')).toBe('go-executions');
    expect(shortcutFor('e', null)).toBeNull();
  });

  it('leaves keys typed into fields alone', () => {
    expect(isTypingTarget(document.createElement('input'))).toBe(true);
    expect(isTypingTarget(document.createElement('textarea'))).toBe(true);
    expect(isTypingTarget(document.createElement('button'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('search', () => {
  it('opens an execution by id and lists executions by branch otherwise', () => {
    expect(searchTarget(' 01A245D1-2DD4-7B0C-ACCC-7FF3BA81272A ')).toBe('/executions/01a245d1-2dd4-7b0c-accc-7ff3ba81272a');
    expect(searchTarget('feature/login')).toBe('/executions?branch=feature%2Flogin');
    expect(searchTarget('  ')).toBeNull();
  });
});
