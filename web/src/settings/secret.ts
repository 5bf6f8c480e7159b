// A random shared secret for webhooks (GitHub's and outgoing ones): 32 bytes
// from the browser's CSPRNG as hex.
export function generateSecret(bytes = 32): string {
  const raw = new Uint8Array(bytes);
  crypto.getRandomValues(raw);
  return Array.from(raw, (b) => b.toString(16).padStart(2, '0')).join('');
}
