import { TerminalList, type PaneState, type TerminalPaneState } from '@boocode/protocol';
import { api } from '../../lib/api.ts';
import { queryClient } from '../../lib/query-client.ts';
import { createTerminal, terminalsKey } from './terminal-api.ts';
import { estimateNewPaneSize } from './terminal-size.ts';

/** Splitting a terminal opens a new one where it was opened (its project, or its SSH host). */
export async function splitTerminal(state: TerminalPaneState): Promise<PaneState> {
  const list = await queryClient.fetchQuery({
    queryKey: terminalsKey,
    queryFn: ({ signal }) => api('/api/term/terminals', { schema: TerminalList, signal }),
    staleTime: 5_000,
  });
  const from = list.terminals.find((t) => t.id === state.terminalId);
  const created = await createTerminal({
    projectId: from?.projectId ?? undefined,
    sshHostId: from?.sshHostId ?? undefined,
    ...estimateNewPaneSize(),
  });
  void queryClient.invalidateQueries({ queryKey: terminalsKey });
  return { kind: 'terminal', terminalId: created.id };
}
