import { describe, expect, it } from 'vitest';
import { setupCommands } from './setupCommands';

describe('setup commands', () => {
  it('name this server and the new registration token', () => {
    const c = setupCommands('https://ci.example.com/', 'opzr_abc');
    expect(c.register).toContain('opzenix agent register --server https://ci.example.com --registration-token opzr_abc');
    expect(c.run).toContain('opzenix agent --server https://ci.example.com --token opza_… --labels linux,docker');
  });
  it('a placeholder until a token is created', () => {
    expect(setupCommands('http://127.0.0.1:8080').register).toContain('--registration-token opzr_… \\');
  });
});
