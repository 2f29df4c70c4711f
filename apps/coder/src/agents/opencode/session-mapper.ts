import type { AgentEvent } from '@boocode/protocol';
import { mapDelta, mapPart, mapTodos, mapUsage, type PartMemo } from './map-part.ts';
import { MessageList, Part, type MessageInfo, type OpencodeEvent } from './wire.ts';

/**
 * The memory of one opencode session's stream around the pure mappers: which messages are the
 * assistant's (the user's own prompt comes back as parts too), what each part already emitted,
 * which messages' usage was counted. Live events and a re-read of the session's messages go
 * through the same memory, so nothing is emitted twice.
 */
export class SessionMapper {
  private readonly parts = new Map<string, PartMemo>();
  private readonly roles = new Map<string, MessageInfo['role']>();
  private readonly counted = new Set<string>();

  constructor(readonly sessionId: string) {}

  /** One live event of this session (the caller dropped other sessions'). */
  event(event: OpencodeEvent): AgentEvent[] {
    switch (event.type) {
      case 'message.updated':
        this.roles.set(event.properties.info.id, event.properties.info.role);
        return this.usage(event.properties.info);
      case 'message.part.updated':
        return this.part(event.properties.part, false);
      case 'message.part.delta': {
        const { partID, field, delta } = event.properties;
        const mapped = mapDelta({ field, delta }, this.parts.get(partID));
        if (!mapped) return [];
        this.parts.set(partID, mapped.memo);
        return mapped.events;
      }
      case 'todo.updated':
        return [mapTodos(event.properties.todos)];
      default:
        return [];
    }
  }

  /**
   * The session's messages read back after a dropped stream: what the stream missed, and only
   * that. A part still streaming is marked, so the new stream's deltas (which may overlap the
   * re-read) are dropped until its final update fills in the rest.
   */
  reread(body: unknown): AgentEvent[] {
    const messages = MessageList.parse(body);
    const events: AgentEvent[] = [];
    for (const m of messages) {
      if (m.info.sessionID !== this.sessionId) continue;
      this.roles.set(m.info.id, m.info.role);
      for (const raw of m.parts) events.push(...this.part(raw, true));
      events.push(...this.usage(m.info));
    }
    return events;
  }

  private part(raw: unknown, reread: boolean): AgentEvent[] {
    const parsed = Part.safeParse(raw);
    if (!parsed.success) return [];
    const part = parsed.data;
    if (part.sessionID !== this.sessionId) return [];
    // The prompt's own parts, or a message not announced yet: not the agent's output.
    if (this.roles.get(part.messageID) !== 'assistant') return [];
    const mapped = mapPart(part, this.parts.get(part.id), reread);
    this.parts.set(part.id, mapped.memo);
    return mapped.events;
  }

  private usage(info: MessageInfo): AgentEvent[] {
    if (this.counted.has(info.id)) return [];
    const usage = mapUsage(info);
    if (!usage) return [];
    this.counted.add(info.id);
    return [usage];
  }
}
