import type { ToolCallPart } from '@boocode/protocol';
import type { ChatTurn } from './model-client.ts';
import type { ReplyRun } from './reply-run.ts';
import type { Toolbox } from './toolbox.ts';

/** Rounds of tool calls in one reply; past them the model must answer. */
export const MAX_TOOL_STEPS = 20;

/**
 * The body of a reply (see ReplyRun.execute): the model calls tools, gets their
 * results, and goes on until it answers. After `maxSteps` rounds it is offered
 * no tools, so it must answer.
 */
export async function toolLoop(
  run: ReplyRun,
  {
    turns,
    tools,
    maxSteps = MAX_TOOL_STEPS,
  }: {
    turns: ChatTurn[];
    tools: Toolbox | null;
    maxSteps?: number;
  },
): Promise<void> {
  const convo = [...turns];
  const signal = run.signal;
  for (let step = 0; ; step++) {
    run.emitPending();
    const stepStart = run.parts.length;
    const result = await run.step({
      turns: convo,
      tools: tools && step < maxSteps ? tools.specs : [],
    });
    if (!tools || result.toolCalls.length === 0) return;
    run.emitPending();
    const text = run.parts
      .slice(stepStart)
      .map((p) => (p.type === 'text' ? p.text : ''))
      .join('');
    convo.push({
      role: 'assistant',
      content: text || null,
      tool_calls: result.toolCalls.map((c) => ({
        id: c.id,
        type: 'function' as const,
        function: { name: c.name, arguments: c.arguments },
      })),
    });
    // Calls run in order, except that a run of calls to parallel tools (dispatch) runs at once.
    const calls = result.toolCalls;
    for (let i = 0; i < calls.length;) {
      if (signal.aborted) throw signal.reason;
      let j = i + 1;
      if (tools.parallel?.has(calls[i]!.name))
        while (j < calls.length && tools.parallel.has(calls[j]!.name)) j++;
      const batch = calls.slice(i, j);
      i = j;
      const at = batch.map((call) =>
        run.addPart({
          type: 'tool_call',
          callId: call.id,
          name: call.name,
          args: call.arguments,
          state: 'running',
        }),
      );
      const callPart = (k: number) => run.parts[at[k]!] as ToolCallPart;
      const outs = await Promise.all(
        batch.map((call, k) =>
          tools.run(call, signal, (patch) => run.setPart(at[k]!, { ...callPart(k), ...patch })),
        ),
      );
      batch.forEach((call, k) => {
        const out = outs[k]!;
        run.setPart(at[k]!, { ...callPart(k), state: out.ok ? 'done' : 'error' });
        run.addPart({
          type: 'tool_result',
          callId: call.id,
          name: call.name,
          ok: out.ok,
          text: out.text,
          ...(out.images ? { images: out.images } : {}),
        });
        convo.push({ role: 'tool', tool_call_id: call.id, content: out.text });
      });
    }
  }
}
