import { z } from 'zod';

/**
 * An HTML artifact runs in a sandboxed frame that loads `ARTIFACT_FRAME_PATH`: a page of the
 * server's with a Content-Security-Policy of its own (no network unless `net=1`), not the app's.
 * The page says `ARTIFACT_READY` to its parent, which answers with the document to show
 * (`ArtifactDocumentMessage`); the page writes it into itself.
 */
export const ARTIFACT_FRAME_PATH = '/api/artifact-frame';
export const ARTIFACT_READY = 'boocode:artifact-ready';

export const ArtifactFrameQuery = z.object({
  /** `1`: the user let this artifact use the network. */
  net: z.enum(['0', '1']).default('0'),
});
export type ArtifactFrameQuery = z.infer<typeof ArtifactFrameQuery>;

export const ArtifactDocumentMessage = z.object({
  type: z.literal('boocode:artifact-document'),
  html: z.string(),
});
export type ArtifactDocumentMessage = z.infer<typeof ArtifactDocumentMessage>;
