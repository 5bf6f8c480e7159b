import { describe, expect, it } from 'vitest';
import { envConfigRefusal, textToVariables, variablesToText } from './envConfig';

describe('environment variables as KEY=value lines', () => {
  it('writes them sorted by name, numbers and booleans as text', () => {
    expect(variablesToText({ REGION: 'eu-west-1', DEBUG: false, REPLICAS: 3 })).toBe('DEBUG=false\nREGION=eu-west-1\nREPLICAS=3');
    expect(variablesToText({})).toBe('');
  });
  it('reads them back, splitting at the first = and keeping the value as typed', () => {
    expect(textToVariables('A=1\nURL=https://x/?a=b\nEMPTY=\n')).toEqual({ ok: true, variables: { A: '1', URL: 'https://x/?a=b', EMPTY: '' } });
  });
  it('round-trips', () => {
    const vars = { B: 'two words', a_lower: 'x=y' };
    expect(textToVariables(variablesToText(vars))).toEqual({ ok: true, variables: vars });
  });
  it('skips blank lines, comments and Windows line ends', () => {
    expect(textToVariables('# note\n\n  \nA=1\r\n')).toEqual({ ok: true, variables: { A: '1' } });
  });
  it('names the line of a mistake', () => {
    expect(textToVariables('A=1\nnot a pair')).toEqual({ ok: false, error: 'Line 2: write KEY=value' });
    expect(textToVariables('1A=x')).toMatchObject({ ok: false, error: expect.stringMatching(/^Line 1: “1A” is not a variable name/) });
    expect(textToVariables('A=1\nA=2')).toEqual({ ok: false, error: 'Line 2: A is set twice' });
    expect(textToVariables('opzenix_x=1')).toEqual({ ok: true, variables: { opzenix_x: '1' } });
    expect(textToVariables('OPZENIX_X=1')).toEqual({ ok: false, error: 'Line 1: names starting with OPZENIX_ are reserved' });
  });
  it('refuses more than 200 variables', () => {
    const text = Array.from({ length: 201 }, (_, i) => `V${i}=x`).join('\n');
    expect(textToVariables(text)).toEqual({ ok: false, error: 'At most 200 variables' });
  });
  it('operators and admins edit; viewers are told why not', () => {
    expect(envConfigRefusal('viewer')).toMatch(/operators and admins/);
    expect(envConfigRefusal('operator')).toBeNull();
  });
});
