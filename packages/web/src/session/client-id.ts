/**
 * A fresh clientId. crypto.randomUUID exists only in secure contexts, and a self-hosted server
 * is often reached over plain http on a LAN address; getRandomValues works everywhere.
 */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
