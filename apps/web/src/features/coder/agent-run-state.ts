import {
  unreachable,
  type AgentFrame,
  type AgentSession,
  type PermissionOption,
  type ToolStatus,
} from '@boocode/protocol';

/** A tool call's state as the run view shows it. */
export type ToolState = 'pending' | 'running' | 'done' | 'failed';

export interface PlanItem {
  content: string;
  status: 'pending' | 'in_progress' | 'completed';
}

/** One block of an agent run, in the order it happened. */
export type RunItem =
  | { kind: 'prompt'; seq: number; text: string }
  | { kind: 'message'; seq: number; text: string }
  | { kind: 'reasoning'; seq: number; text: string }
  | {
      kind: 'tool';
      seq: number;
      toolCallId: string;
      title: string;
      toolKind: string;
      state: ToolState;
      output: string | null;
    }
  | {
      kind: 'permission';
      seq: number;
      permissionId: string;
      title: string;
      options: PermissionOption[];
      /** Undefined while waiting; the option picked, or null when it was cancelled. */
      answer: string | null | undefined;
    }
  | { kind: 'changes'; seq: number; paths: string[]; skipped: { path: string; reason: string }[] }
  | { kind: 'done'; seq: number; stopReason: string }
  | { kind: 'error'; seq: number; message: string };

export interface RunUsage {
  inputTokens: number;
  outputTokens: number;
  /** Null when any turn's cost was unknown. */
  costMicros: number | null;
}

/** The view model of one agent session's run, folded from its frames. */
export interface AgentRunState {
  sessionId: string;
  /** The last seq applied: a resume asks for the frames after it. */
  lastSeq: number;
  items: RunItem[];
  plan: PlanItem[] | null;
  usage: RunUsage | null;
  /** The session as last reported (REST or the socket's `session` messages). */
  session: AgentSession | null;
}

export function emptyRun(sessionId: string, session: AgentSession | null = null): AgentRunState {
  return { sessionId, lastSeq: 0, items: [], plan: null, usage: null, session };
}

export function toolState(status: ToolStatus): ToolState {
  switch (status) {
    case 'pending':
      return 'pending';
    case 'in_progress':
      return 'running';
    case 'completed':
      return 'done';
    case 'failed':
      return 'failed';
    default:
      return unreachable(status);
  }
}

/** Takes a newer report of the session (a status change); another session's is ignored. */
export function withSession(state: AgentRunState, session: AgentSession): AgentRunState {
  if (session.id !== state.sessionId) return state;
  return { ...state, session };
}

/**
 * Applies one frame of the session. Each seq is applied once: a frame at or below `lastSeq`
 * (replayed after a reconnect) or of another session leaves the state as it is.
 */
export function foldAgentFrames(state: AgentRunState, frame: AgentFrame): AgentRunState {
  if (frame.sessionId !== state.sessionId || frame.seq <= state.lastSeq) return state;
  const next = { ...state, lastSeq: frame.seq };
  const { seq, event: ev } = frame;
  switch (ev.type) {
    case 'prompt':
      return push(next, { kind: 'prompt', seq, text: ev.text });
    case 'message.delta':
      return appendText(next, 'message', seq, ev.text);
    case 'reasoning.delta':
      return appendText(next, 'reasoning', seq, ev.text);
    case 'tool.call': {
      const tool = {
        kind: 'tool' as const,
        seq,
        toolCallId: ev.toolCallId,
        title: ev.title,
        toolKind: ev.kind,
        state: toolState(ev.status),
        output: null,
      };
      // A call announced again (some agents do) updates the block it already has.
      const i = findTool(next.items, ev.toolCallId);
      if (i < 0) return push(next, tool);
      return replaceAt(next, i, 'tool', (old) => ({ ...tool, seq: old.seq, output: old.output }));
    }
    case 'tool.update': {
      const i = findTool(next.items, ev.toolCallId);
      if (i < 0) {
        // A call never announced (qwen reports a refused call only by its update): shown too.
        return push(next, {
          kind: 'tool',
          seq,
          toolCallId: ev.toolCallId,
          title: ev.title ?? 'Tool call',
          toolKind: 'other',
          state: ev.status ? toolState(ev.status) : 'running',
          output: ev.output ?? null,
        });
      }
      return replaceAt(next, i, 'tool', (old) => ({
        ...old,
        title: ev.title ?? old.title,
        state: ev.status ? toolState(ev.status) : old.state,
        output: ev.output ?? old.output,
      }));
    }
    case 'permission.request':
      return push(next, {
        kind: 'permission',
        seq,
        permissionId: ev.permissionId,
        title: ev.title,
        options: ev.options,
        answer: undefined,
      });
    case 'permission.resolved': {
      const i = next.items.findIndex(
        (it) => it.kind === 'permission' && it.permissionId === ev.permissionId,
      );
      if (i < 0) return next;
      return replaceAt(next, i, 'permission', (old) => ({ ...old, answer: ev.optionId }));
    }
    case 'plan':
      return { ...next, plan: ev.entries.map((e) => ({ content: e.content, status: e.status })) };
    case 'usage': {
      const u = next.usage;
      const cost =
        ev.costMicros === null || (u && u.costMicros === null)
          ? null
          : (u?.costMicros ?? 0) + ev.costMicros;
      return {
        ...next,
        usage: {
          inputTokens: (u?.inputTokens ?? 0) + ev.inputTokens,
          outputTokens: (u?.outputTokens ?? 0) + ev.outputTokens,
          costMicros: cost,
        },
      };
    }
    case 'changes':
      return push(next, { kind: 'changes', seq, paths: ev.paths, skipped: ev.skipped ?? [] });
    case 'done':
      return push(next, { kind: 'done', seq, stopReason: ev.stopReason });
    case 'error':
      return push(next, { kind: 'error', seq, message: ev.message });
    default:
      return unreachable(ev);
  }
}

/** Folds a batch in order (the REST backlog, or a test's script). */
export function foldAll(state: AgentRunState, frames: readonly AgentFrame[]): AgentRunState {
  return frames.reduce(foldAgentFrames, state);
}

/** A turn is under way: the pane shows Stop rather than Send. */
export function isBusy(session: AgentSession | null): boolean {
  return session?.status === 'starting' || session?.status === 'running';
}

/** The permission requests still waiting for an answer. */
export function waitingPermissions(state: AgentRunState): number {
  return state.items.filter((it) => it.kind === 'permission' && it.answer === undefined).length;
}

function push(state: AgentRunState, item: RunItem): AgentRunState {
  return { ...state, items: [...state.items, item] };
}

/** Text deltas grow the last block while it is of their kind; otherwise they start one. */
function appendText(
  state: AgentRunState,
  kind: 'message' | 'reasoning',
  seq: number,
  text: string,
): AgentRunState {
  const last = state.items.at(-1);
  if (last?.kind !== kind) return push(state, { kind, seq, text });
  const items = state.items.slice();
  items[items.length - 1] = { ...last, text: last.text + text };
  return { ...state, items };
}

function findTool(items: RunItem[], toolCallId: string): number {
  return items.findIndex((it) => it.kind === 'tool' && it.toolCallId === toolCallId);
}

function replaceAt<K extends RunItem['kind']>(
  state: AgentRunState,
  index: number,
  _kind: K,
  change: (old: Extract<RunItem, { kind: K }>) => Extract<RunItem, { kind: K }>,
): AgentRunState {
  const items = state.items.slice();
  items[index] = change(items[index] as Extract<RunItem, { kind: K }>);
  return { ...state, items };
}
