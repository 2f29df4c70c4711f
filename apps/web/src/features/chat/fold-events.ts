import {
  applyChatEvent,
  unreachable,
  type ChatEvent,
  type Message,
  type ServerFrame,
} from '@boocode/protocol';

/** The chat events among the server's frames (the others are about the socket or the list). */
export function asChatEvent(frame: ServerFrame): ChatEvent | null {
  switch (frame.type) {
    case 'chat.message.created':
    case 'chat.message.updated':
    case 'chat.message.deleted':
    case 'chat.part.delta':
    case 'chat.part.added':
    case 'chat.part.updated':
    case 'chat.message.finished':
      return frame;
    case 'chat.resync':
    case 'chats.changed':
    case 'mcp.changed':
    case 'graph.progress':
    case 'error':
      return null;
    default:
      return unreachable(frame);
  }
}

/**
 * Merges runs of deltas to the same part into one: the fold is the same, but each merged delta
 * saves a copy of the whole message list (which matters with 10,000 messages and fast tokens).
 */
export function coalesceDeltas(events: ChatEvent[]): ChatEvent[] {
  const out: ChatEvent[] = [];
  for (const ev of events) {
    const prev = out.at(-1);
    if (
      prev?.type === 'chat.part.delta' &&
      ev.type === 'chat.part.delta' &&
      prev.messageId === ev.messageId &&
      prev.index === ev.index &&
      prev.part === ev.part
    ) {
      out[out.length - 1] = { ...prev, seq: ev.seq, text: prev.text + ev.text };
    } else {
      out.push(ev);
    }
  }
  return out;
}

export interface FoldResult {
  messages: Message[];
  /** False once a reply finished: the snapshot's `running` is then out of date. */
  snapshotRunning: boolean;
}

export function foldEvents(state: FoldResult, events: ChatEvent[]): FoldResult {
  let { messages, snapshotRunning } = state;
  for (const ev of coalesceDeltas(events)) {
    messages = applyChatEvent(messages, ev);
    if (ev.type === 'chat.message.finished') snapshotRunning = false;
  }
  return { messages, snapshotRunning };
}

/** A reply is being written: the snapshot said so, or a message is still streaming. */
export function isRunning(messages: Message[], snapshotRunning: boolean): boolean {
  if (snapshotRunning) return true;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.status === 'streaming') return true;
  }
  return false;
}
