import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  FileContent,
  GraphCalls,
  GraphDefinition,
  GraphFileList,
  GraphOutline,
  GraphStatus,
  GraphSymbolList,
  type CallDirection,
} from '@boocode/protocol';
import { api } from '../../lib/api.ts';
import { wsClient } from '../../lib/ws-client.ts';
import { linesOf, nextStart } from './file-lines.ts';

/** Everything the code pane asks about one project: dropped when its index changes. */
const codeKey = (projectId: string) => ['code', projectId] as const;
const graphUrl = (projectId: string, rest: string, q: Record<string, string | number>) => {
  const query = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
  const qs = query.size ? `?${query}` : '';
  return `/api/projects/${encodeURIComponent(projectId)}/graph${rest}${qs}`;
};

/**
 * The project's index: its status, kept current by the socket's `graph.progress` frames.
 * When a scan ends, what the pane showed of the project (file, outline, answers) is asked again.
 */
export function useGraphStatus(projectId: string) {
  const qc = useQueryClient();
  const key = [...codeKey(projectId), 'status'] as const;
  useEffect(
    () =>
      wsClient.onFrame((f) => {
        if (f.type !== 'graph.progress' || f.projectId !== projectId) return;
        const { type: _type, ...progress } = f;
        const before = qc.getQueryData<GraphStatus>(key);
        if (before) qc.setQueryData<GraphStatus>(key, { ...before, ...progress });
        if (f.state === 'idle' && before?.state !== 'idle') {
          void qc.invalidateQueries({ queryKey: codeKey(projectId) });
        }
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key is derived from projectId
    [qc, projectId],
  );
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api(graphUrl(projectId, '', {}), { schema: GraphStatus, signal }),
    // A frame can pass before the listener above is attached, or while this read is on its
    // way with an older state: while it says indexing, it is also asked again now and then.
    refetchInterval: (q) => (q.state.data?.state === 'indexing' ? 2000 : false),
    meta: { silent: true },
  });
}

/** Reads at most this many capped chunks (256 KiB each) of one file. */
const MAX_CHUNKS = 16;

export interface FileText {
  path: string;
  lines: string[];
  /** Lines of the file not read (past the cap), or null when all were. */
  cut: string | null;
}

async function readWhole(projectId: string, path: string, signal: AbortSignal): Promise<FileText> {
  const url = (start: number) =>
    `/api/coder/projects/${encodeURIComponent(projectId)}/file?${new URLSearchParams({ path, startLine: String(start) })}`;
  const lines: string[] = [];
  let start = 1;
  let rel = path;
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const read = await api(url(start), { schema: FileContent, signal });
    rel = read.path;
    const got = linesOf(read);
    // A line cut short is read again whole from its start: drop the part already kept.
    if (read.startLine === start && lines.length >= start) lines.length = start - 1;
    lines.push(...got);
    const next = nextStart(read);
    if (next === null) return { path: rel, lines, cut: null };
    start = next;
  }
  return { path: rel, lines, cut: `Showing the first ${lines.length} lines; the file is longer.` };
}

/** A file's text, whole (up to a cap), as lines. */
export function useFileText(projectId: string, path: string | null) {
  return useQuery({
    queryKey: [...codeKey(projectId), 'file', path],
    queryFn: ({ signal }) => readWhole(projectId, path!, signal),
    enabled: path !== null,
    meta: { silent: true },
  });
}

export function useOutline(projectId: string, path: string | null) {
  return useQuery({
    queryKey: [...codeKey(projectId), 'outline', path],
    queryFn: ({ signal }) =>
      api(graphUrl(projectId, '/outline', { path: path! }), { schema: GraphOutline, signal }),
    enabled: path !== null,
    meta: { silent: true },
  });
}

export function useCalls(
  projectId: string,
  symbol: { name: string; path: string } | null,
  direction: CallDirection,
  depth: number,
) {
  return useQuery({
    queryKey: [...codeKey(projectId), 'calls', symbol?.name, symbol?.path, direction, depth],
    queryFn: ({ signal }) =>
      api(graphUrl(projectId, '/calls', { ...symbol!, direction, depth }), {
        schema: GraphCalls,
        signal,
      }),
    enabled: symbol !== null,
    meta: { silent: true },
  });
}

export function findFiles(projectId: string, q: string, signal?: AbortSignal) {
  return api(graphUrl(projectId, '/files', { q, limit: 30 }), { schema: GraphFileList, signal });
}

export function findSymbols(projectId: string, q: string, signal?: AbortSignal) {
  return api(graphUrl(projectId, '/symbols', { q, limit: 30 }), {
    schema: GraphSymbolList,
    signal,
  });
}

export function findDefinition(
  projectId: string,
  at: { path: string; line: number; column: number },
) {
  return api(graphUrl(projectId, '/definition', at), { schema: GraphDefinition });
}
