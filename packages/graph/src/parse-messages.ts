import type { GraphFileRows } from '@boocode/db';
import type { GraphLanguage } from '@boocode/protocol';

/** What the indexer asks the parser thread: a file, and the hash it had when last indexed. */
export interface ParseRequest {
  id: number;
  abs: string;
  language: GraphLanguage;
  knownHash: string | null;
}

export type ParseReply =
  | { id: number; kind: 'parsed'; hash: string; rows: GraphFileRows }
  | { id: number; kind: 'unchanged'; hash: string }
  | { id: number; kind: 'skipped'; reason: 'binary' | 'gone' }
  | { id: number; kind: 'failed'; message: string };
