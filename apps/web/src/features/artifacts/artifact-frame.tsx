import { memo, useEffect, useMemo, useRef } from 'react';
import {
  ARTIFACT_FRAME_PATH,
  ARTIFACT_READY,
  type ArtifactDocumentMessage,
} from '@boocode/protocol';
import type { Artifact } from './artifact.ts';

const ESCAPE_MESSAGE = 'boocode:artifact-escape';

// Keys pressed inside the frame never reach the app: this script passes Escape on, unless the
// page kept it for itself (it looks once every handler, the page's own window ones too, has run).
// The message carries nothing the frame could not send anyway.
const ESCAPE_BRIDGE = `<script>addEventListener('keydown',function(e){if(e.key==='Escape')setTimeout(function(){if(!e.defaultPrevented)parent.postMessage('${ESCAPE_MESSAGE}','*')})})</script>`;

const SVG_HEAD = `<meta charset="utf-8"><style>html,body{margin:0;height:100%}body{display:grid;place-items:center}body>svg{max-width:100%;max-height:100%}</style>`;

const DOCTYPE = /^\s*<!doctype[^>]*>/i;

/**
 * The document the frame shows: the HTML as written, an SVG centred on a page of its own; the
 * bridge goes first, where the parser puts it in the head (after a doctype, which must stay first
 * to keep the page out of quirks mode), so the page's body is exactly what it wrote.
 */
export function frameDocument(artifact: Artifact): string {
  if (artifact.kind === 'svg') {
    return `<!doctype html><html><head>${ESCAPE_BRIDGE}${SVG_HEAD}</head><body>${artifact.code}</body></html>`;
  }
  const code = artifact.code;
  const doctype = DOCTYPE.exec(code)?.[0] ?? '';
  return doctype + ESCAPE_BRIDGE + code.slice(doctype.length);
}

/**
 * Runs an HTML or SVG artifact. `sandbox="allow-scripts"` without `allow-same-origin` gives the
 * frame an opaque origin: its scripts run, but it has no cookies or storage of ours, and a request
 * to our API is cross-origin without credentials. The frame loads the server's artifact page,
 * whose own Content-Security-Policy lets nothing reach the network unless `network` (the user's
 * choice for this artifact), and the document is handed to it by message: a `srcdoc` frame
 * would run under the app's policy, which allows no inline script. The document only changes
 * when the artifact does, so a re-render never reloads the frame.
 */
export const ArtifactFrame = memo(function ArtifactFrame({
  artifact,
  network,
  onEscape,
}: {
  artifact: Artifact;
  network: boolean;
  onEscape: () => void;
}) {
  const ref = useRef<HTMLIFrameElement>(null);
  const html = useMemo(() => frameDocument(artifact), [artifact]);
  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      const frame = ref.current?.contentWindow;
      if (!frame || e.source !== frame) return;
      if (e.data === ESCAPE_MESSAGE) onEscape();
      if (e.data === ARTIFACT_READY) {
        const doc: ArtifactDocumentMessage = { type: 'boocode:artifact-document', html };
        // The frame's origin is opaque: there is no other name to send it to.
        frame.postMessage(doc, '*');
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [onEscape, html]);
  return (
    <iframe
      // A new document or policy: the page starts over (it takes one document, once).
      key={`${network}:${html}`}
      ref={ref}
      title={`${artifact.title} (preview)`}
      sandbox="allow-scripts"
      referrerPolicy="no-referrer"
      src={`${ARTIFACT_FRAME_PATH}?net=${network ? 1 : 0}`}
      className="block size-full border-0 bg-white"
    />
  );
});
