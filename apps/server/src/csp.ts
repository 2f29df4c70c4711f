import type { FastifyInstance } from 'fastify';

/**
 * The app's Content-Security-Policy: nothing is loaded from, or sent to, anywhere but this
 * origin, so Markdown or HTML a model wrote cannot carry data out of the page (an image whose
 * address holds a secret is not fetched). Inline styles are allowed (xterm.js writes its own);
 * scripts are the built files only. A response that sets a policy of its own keeps it.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sets {@link APP_CSP} on every response of `app` (its root instance) that has no policy. */
export function addAppCsp(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply) => {
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', APP_CSP);
    }
  });
}
