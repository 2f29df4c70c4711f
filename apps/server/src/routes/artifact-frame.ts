import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ARTIFACT_READY, ArtifactFrameQuery } from '@boocode/protocol';

/**
 * The page an HTML artifact runs in (see packages/protocol artifact.ts). It waits for its
 * parent's document and writes it into itself, so the artifact runs under this page's policy:
 * scripts and styles inline, images and fonts from data: and blob:, and no network at all unless
 * the user allowed it for that artifact. `sandbox` keeps it in an opaque origin even when opened
 * on its own.
 */
const SHELL = `<!doctype html><meta charset="utf-8"><script>
addEventListener('message', function take(e) {
  if (e.source !== parent || !e.data || e.data.type !== 'boocode:artifact-document') return;
  removeEventListener('message', take);
  document.open();
  document.write(e.data.html);
  document.close();
});
parent.postMessage('${ARTIFACT_READY}', '*');
</script>`;

const OFFLINE = [
  "default-src 'none'",
  "script-src 'unsafe-inline' 'unsafe-eval' data: blob:",
  "style-src 'unsafe-inline' data: blob:",
  'img-src data: blob:',
  'font-src data: blob:',
  'media-src data: blob:',
];
const ONLINE = ["default-src * data: blob: 'unsafe-inline' 'unsafe-eval'"];
const frameCsp = (net: boolean) =>
  [...(net ? ONLINE : OFFLINE), "frame-ancestors 'self'", 'sandbox allow-scripts'].join('; ');

export const artifactFrameRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/artifact-frame', { schema: { querystring: ArtifactFrameQuery } }, (req, reply) =>
    reply
      .header('content-security-policy', frameCsp(req.query.net === '1'))
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(SHELL),
  );
};
