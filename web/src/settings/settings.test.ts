import { describe, expect, it } from 'vitest';
import { moveRule, NEW_RULE, normalizeRef, replaceRule, ruleBody, ruleText, type MappingRule } from './branchMappings';
import { eventText, outcomeLook } from './github';
import { deliveryLook } from './outgoingWebhooks';
import { chosenProject, GLOBAL } from './projectChoice';
import { routeFor, SECTIONS } from './sections';
import { generateSecret } from './secret';
import { tokenState, type ApiToken } from './tokens';

describe('settings sections', () => {
  it('opens the first usable section when none is named', () => {
    expect(routeFor(undefined, true)).toEqual({ kind: 'redirect', to: '/settings/users' });
    expect(routeFor(undefined, false)).toEqual({ kind: 'redirect', to: '/settings/tokens' });
  });

  it('gates admin sections for non-admins but not tokens or branch mappings', () => {
    const allowed = (id: string, admin: boolean) => {
      const r = routeFor(id, admin);
      return r.kind === 'section' ? r.allowed : null;
    };
    expect(SECTIONS.map((s) => [s.id, allowed(s.id, false)])).toEqual([
      ['users', false],
      ['tokens', true],
      ['github', false],
      ['branch-mappings', true],
      ['webhooks', false],
      ['secrets', true],
      ['connections', true],
      ['advisory-rules', true],
    ]);
    expect(SECTIONS.every((s) => allowed(s.id, true))).toBe(true);
  });

  it('names an unknown section', () => {
    expect(routeFor('billing', true)).toEqual({ kind: 'unknown', name: 'billing' });
  });
});

describe('the project a section shows', () => {
  const ids = ['p1', 'p2'];
  it('prefers the URL, then the scope, then the first project', () => {
    expect(chosenProject('p2', 'p1', ids, false)).toBe('p2');
    expect(chosenProject(null, 'p2', ids, false)).toBe('p2');
    expect(chosenProject('gone', 'also-gone', ids, false)).toBe('p1');
  });
  it('offers the global defaults only where they exist', () => {
    expect(chosenProject(GLOBAL, '', ids, true)).toBe(GLOBAL);
    expect(chosenProject(GLOBAL, '', ids, false)).toBe('p1');
    expect(chosenProject(null, '', [], true)).toBe(GLOBAL);
    expect(chosenProject(null, '', [], false)).toBe('');
  });
});

describe('branch mapping helpers', () => {
  it('turns a short name into a full ref of the chosen kind', () => {
    expect(normalizeRef('release/1.2', 'branch')).toBe('refs/heads/release/1.2');
    expect(normalizeRef(' v1.4.0 ', 'tag')).toBe('refs/tags/v1.4.0');
    expect(normalizeRef('refs/tags/v2', 'branch')).toBe('refs/tags/v2');
    expect(normalizeRef('  ', 'branch')).toBe('');
  });

  const rules: MappingRule[] = [
    { ...NEW_RULE, pattern: 'main', environment: 'Production' },
    { ...NEW_RULE, pattern: 'release/*', environment: 'PreProd', replicas: 2, image_tag_template: 'preprod-{sha7}' },
    { ...NEW_RULE, pattern: 'feature/*', deployable: false },
  ];

  it('moves a rule within bounds and leaves the list alone at the ends', () => {
    expect(moveRule(rules, 2, -1).map((r) => r.pattern)).toEqual(['main', 'feature/*', 'release/*']);
    expect(moveRule(rules, 0, -1)).toBe(rules);
    expect(moveRule(rules, 2, 1)).toBe(rules);
    expect(rules.map((r) => r.pattern)).toEqual(['main', 'release/*', 'feature/*']); // not mutated
  });

  it('patches one rule and sends only the fields the server reads', () => {
    const patched = replaceRule(rules, 1, { environment: ' Staging ' });
    expect(patched[1]!.environment).toBe(' Staging ');
    expect(patched[0]).toBe(rules[0]);
    expect(ruleBody({ ...patched[1]!, id: 'x', position: 3, image_tag_template: ' ' })).toEqual({
      pattern: 'release/*',
      ref_type: 'branch',
      environment: 'Staging',
      deployable: true,
      image_tag_template: '{sha7}',
      replicas: 2,
    });
  });

  it('says a rule in one line', () => {
    expect(ruleText(rules[1]!)).toBe('release/* (branch) → PreProd ×2, preprod-{sha7}');
    expect(ruleText(rules[2]!)).toBe('feature/* (branch) → Development ×1, {sha7}, CI only');
  });
});

describe('delivery words', () => {
  it('maps GitHub delivery outcomes onto the status vocabulary', () => {
    expect(outcomeLook('processed')).toEqual({ status: 'success', word: 'Processed' });
    expect(outcomeLook('rejected').status).toBe('rejected');
    expect(outcomeLook('ignored').word).toBe('Ignored');
    expect(eventText({ event: 'pull_request', action: 'opened' })).toBe('pull_request (opened)');
    expect(eventText({ event: 'push', action: null })).toBe('push');
  });

  it('says how an outgoing delivery went', () => {
    expect(deliveryLook({ status: 'delivered', attempts: 1 })).toEqual({ status: 'success', word: 'Delivered' });
    expect(deliveryLook({ status: 'failed', attempts: 5 }).word).toBe('Failed after 5 attempts');
    expect(deliveryLook({ status: 'pending', attempts: 0 }).word).toBe('Pending');
    expect(deliveryLook({ status: 'pending', attempts: 2 }).word).toBe('Retrying (attempt 3)');
  });
});

describe('tokens and secrets', () => {
  const token: ApiToken = { id: 't', name: 'ci', token_prefix: 'opz_ab', created_at: '2026-12-01T00:00:00Z', last_used_at: null, expires_at: null, revoked_at: null };
  it('tells active, expired and revoked tokens apart', () => {
    const now = Date.parse('2026-12-05T00:00:00Z');
    expect(tokenState(token, now)).toBe('active');
    expect(tokenState({ ...token, expires_at: '2026-12-04T00:00:00Z' }, now)).toBe('expired');
    expect(tokenState({ ...token, expires_at: '2026-12-04T00:00:00Z', revoked_at: '2026-12-02T00:00:00Z' }, now)).toBe('revoked');
  });

  it('generates distinct 64-hex-digit secrets', () => {
    const a = generateSecret();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(generateSecret()).not.toBe(a);
  });
});
