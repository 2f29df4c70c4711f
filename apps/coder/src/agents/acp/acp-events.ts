import type { PromptResponse, SessionNotification, ToolCallUpdate } from '@agentclientprotocol/sdk';
import type { AgentEvent } from '@boocode/protocol';
import { mapAcpUpdate } from './map-update.ts';

/**
 * The stateful side of one session's events, around the pure {@link mapAcpUpdate}: drops other
 * sessions' updates, turns the cumulative cost of `usage_update` into increments (our usage
 * events add up), announces a tool call first seen in a permission question, and counts a
 * turn's tokens once (from chunks when the agent reports them there, else from the reply).
 */
export class AcpEvents {
  private sessionId: string | null = null;
  private costSoFar = 0;
  private readonly toolCalls = new Set<string>();
  private tokensInTurn = false;
  private stopped = false;

  constructor(private readonly emit: (event: AgentEvent) => void) {}

  /** Updates before this (during the handshake) are taken whatever their session. */
  setSession(sessionId: string): void {
    this.sessionId = sessionId;
  }

  /** The session is closing: what the dying agent still sends is dropped. */
  stop(): void {
    this.stopped = true;
  }

  onUpdate(params: SessionNotification): void {
    if (this.stopped) return;
    if (this.sessionId !== null && params.sessionId !== this.sessionId) return;
    for (const event of mapAcpUpdate(params.update)) {
      if (event.type === 'tool.call') this.toolCalls.add(event.toolCallId);
      if (event.type !== 'usage') {
        this.emit(event);
        continue;
      }
      const usage = this.increment(event);
      if (usage) this.emit(usage);
    }
  }

  /** qwen asks permission for a call it has not announced: show the call before the question. */
  onPermissionCall(call: ToolCallUpdate): void {
    if (this.stopped) return;
    if (this.toolCalls.has(call.toolCallId)) return;
    this.toolCalls.add(call.toolCallId);
    this.emit({
      type: 'tool.call',
      toolCallId: call.toolCallId,
      title: call.title ?? call.name ?? call.toolCallId,
      kind: call.kind ?? 'other',
      status: call.status ?? 'pending',
      ...(call.rawInput === undefined ? {} : { input: call.rawInput }),
    });
  }

  startTurn(): void {
    this.tokensInTurn = false;
  }

  endTurn(reply: PromptResponse): void {
    if (reply.usage && !this.tokensInTurn) {
      const { inputTokens, outputTokens } = reply.usage;
      this.emit({ type: 'usage', inputTokens, outputTokens, costMicros: null });
    }
    this.emit({ type: 'done', stopReason: reply.stopReason });
  }

  private increment(
    event: Extract<AgentEvent, { type: 'usage' }>,
  ): Extract<AgentEvent, { type: 'usage' }> | null {
    const tokens = event.inputTokens + event.outputTokens;
    if (tokens > 0) this.tokensInTurn = true;
    if (event.costMicros === null) return tokens > 0 ? event : null;
    const cost = Math.max(0, event.costMicros - this.costSoFar);
    this.costSoFar = Math.max(this.costSoFar, event.costMicros);
    return tokens > 0 || cost > 0 ? { ...event, costMicros: cost } : null;
  }
}
