import { createContext, useContext } from 'react';
import type { Artifact } from './artifact.ts';

/** Opens an artifact in the pane beside the chat; null where no pane can show one. */
export type OpenArtifact = (artifact: Artifact) => void;

export const ArtifactOpenerContext = createContext<OpenArtifact | null>(null);

export function useArtifactOpener(): OpenArtifact | null {
  return useContext(ArtifactOpenerContext);
}
