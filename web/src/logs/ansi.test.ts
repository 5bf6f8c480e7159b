import { describe, expect, it } from 'vitest';
import { applySgr, color256, parseAnsi, stripAnsi } from './ansi';

describe('parseAnsi', () => {
  it('keeps plain text as one unstyled span', () => {
    expect(parseAnsi('hello world')).toEqual([{ text: 'hello world', style: {} }]);
    expect(parseAnsi('')).toEqual([]);
  });

  it('colours, bold and reset', () => {
    expect(parseAnsi('a\x1b[1;31mred bold\x1b[0m b')).toEqual([
      { text: 'a', style: {} },
      { text: 'red bold', style: { bold: true, fg: 1 } },
      { text: ' b', style: {} },
    ]);
  });

  it('bright colours and backgrounds; 39/49 restore the defaults', () => {
    expect(parseAnsi('\x1b[92;104mx\x1b[39my\x1b[49mz')).toEqual([
      { text: 'x', style: { fg: 10, bg: 12 } },
      { text: 'y', style: { bg: 12 } },
      { text: 'z', style: {} },
    ]);
  });

  it('ESC[m is a reset', () => {
    expect(parseAnsi('\x1b[32mok\x1b[mplain')).toEqual([
      { text: 'ok', style: { fg: 2 } },
      { text: 'plain', style: {} },
    ]);
  });

  it('256-colour and truecolor, with semicolons or colons', () => {
    expect(parseAnsi('\x1b[38;5;196mx')).toEqual([{ text: 'x', style: { fg: '#ff0000' } }]);
    expect(parseAnsi('\x1b[38;5;3mx')).toEqual([{ text: 'x', style: { fg: 3 } }]);
    expect(parseAnsi('\x1b[48;5;244mx')).toEqual([{ text: 'x', style: { bg: '#808080' } }]);
    expect(parseAnsi('\x1b[38;2;10;20;30mx')).toEqual([{ text: 'x', style: { fg: '#0a141e' } }]);
    expect(parseAnsi('\x1b[38:2::10:20:30mx')).toEqual([{ text: 'x', style: { fg: '#0a141e' } }]);
  });

  it('ignores out-of-range extended colours without losing later codes', () => {
    expect(parseAnsi('\x1b[38;5;999;1mx')).toEqual([{ text: 'x', style: { bold: true } }]);
    expect(parseAnsi('\x1b[38;2;300;0;0mx')).toEqual([{ text: 'x', style: {} }]);
  });

  it('22 clears bold and dim, 24 underline, 27 inverse', () => {
    expect(applySgr({ bold: true, dim: true, underline: true, inverse: true, fg: 1 }, '22;24;27')).toEqual({ fg: 1 });
  });

  it('drops non-SGR CSI sequences (cursor moves, erase line)', () => {
    expect(stripAnsi('\x1b[2K\x1b[1Gprogress 50%')).toBe('progress 50%');
    expect(stripAnsi('a\x1b[?25lb\x1b[?25hc')).toBe('abc');
  });

  it('drops OSC sequences ended by BEL or ST, and unterminated ones', () => {
    expect(stripAnsi('\x1b]0;title\x07text')).toBe('text');
    expect(stripAnsi('\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\')).toBe('link');
    expect(stripAnsi('before\x1b]0;never ends')).toBe('before');
  });

  it('never shows a raw escape for malformed input', () => {
    for (const bad of ['x\x1b', 'x\x1b[', 'x\x1b[31', 'x\x1b[31;\x01y', 'x\x1b(', 'x\x1b=y', '\x1b[\x1b[31mz']) {
      const out = parseAnsi(bad).map((s) => s.text).join('');
      expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      expect(out.startsWith(bad[0] === 'x' ? 'x' : '')).toBe(true);
    }
    expect(stripAnsi('x\x1b=y')).toBe('xy');
    expect(parseAnsi('\x1b[\x1b[31mz')).toEqual([{ text: 'z', style: { fg: 1 } }]);
  });

  it('keeps tabs, drops other control characters, and keeps what follows the last carriage return', () => {
    expect(stripAnsi('a\tb\x07c\bd')).toBe('a\tbcd');
    expect(stripAnsi('10%\r50%\r100%')).toBe('100%');
    expect(stripAnsi('done\r')).toBe('done');
  });

  it('carries the style across spans and into the next line when given', () => {
    expect(parseAnsi('still red', { fg: 1 })).toEqual([{ text: 'still red', style: { fg: 1 } }]);
  });
});

describe('color256', () => {
  it('maps the cube and the grey ramp', () => {
    expect(color256(16)).toBe('#000000');
    expect(color256(231)).toBe('#ffffff');
    expect(color256(232)).toBe('#080808');
    expect(color256(255)).toBe('#eeeeee');
    expect(color256(256)).toBeUndefined();
  });
});

describe('spanLook', () => {
  it('palette colours are classes, others inline; inverse swaps', async () => {
    const { spanLook } = await import('./spanStyle');
    expect(spanLook({ fg: 1, bold: true })).toEqual({ className: 'ansi-fg-1 ansi-bold' });
    expect(spanLook({ fg: '#ff0000', bg: 4 })).toEqual({ className: 'ansi-bg-4', style: { color: '#ff0000' } });
    expect(spanLook({ fg: 2, inverse: true })).toEqual({ className: 'ansi-fg-15 ansi-bg-2' });
    expect(spanLook({})).toEqual({ className: '' });
  });
});
