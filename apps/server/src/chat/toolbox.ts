import type { Chat, Project, ToolCallPart } from '@boocode/protocol';
import type { ToolCall, ToolSpec } from './model-client.ts';

/** What one tool call gives back to the model: more is cut, with a note. */
export const MAX_RESULT_CHARS = 64 * 1024;

export interface ToolResult {
  ok: boolean;
  text: string;
  /** Images to show with the result (the model gets `text`, which describes them). */
  images?: { mimeType: string; data: string }[];
}

/** A set of tools the model may call in a chat. */
export interface Toolbox {
  specs: ToolSpec[];
  /** What the model is told about these tools, in the system prompt. */
  system: string;
  /** Tools whose calls in one reply run at the same time (dispatch); the rest run in order. */
  parallel?: ReadonlySet<string>;
  /** `update` adds to the call's part while it runs (dispatch: the subtask it started). */
  run(call: ToolCall, signal: AbortSignal, update?: ToolCallUpdate): Promise<ToolResult>;
}

/** What a running tool may add to its call's part. */
export type ToolCallUpdate = (patch: Pick<ToolCallPart, 'subtask'>) => void;

/** What a chat's tools are built from: its row and its roots (its own project first, then its grants). */
export interface ToolContext {
  chat: Chat;
  roots: Project[];
}

/** One kind of tools (read tools, skills, MCP servers ...), for a given chat; null when it has none. */
export type ToolSource = (ctx: ToolContext) => Promise<Toolbox | null> | Toolbox | null;

/** The tools of every source as one box; a name given twice keeps its first owner. */
export function combineToolboxes(boxes: (Toolbox | null)[]): Toolbox | null {
  const present = boxes.filter((b): b is Toolbox => b !== null && b.specs.length > 0);
  if (present.length === 0) return null;
  const owner = new Map<string, Toolbox>();
  const specs: ToolSpec[] = [];
  for (const box of present)
    for (const spec of box.specs)
      if (!owner.has(spec.name)) {
        owner.set(spec.name, box);
        specs.push(spec);
      }
  const parallel = new Set<string>();
  for (const [name, box] of owner) if (box.parallel?.has(name)) parallel.add(name);
  return {
    specs,
    parallel,
    system: present
      .map((b) => b.system)
      .filter(Boolean)
      .join('\n\n'),
    run(call, signal, update) {
      const box = owner.get(call.name);
      if (!box) return Promise.resolve({ ok: false, text: `There is no tool named ${call.name}.` });
      return box.run(call, signal, update);
    },
  };
}

/** The tools a chat has, from every source; a source that fails is left out, not the reply. */
export async function toolsFor(
  sources: ToolSource[],
  ctx: ToolContext,
  onError: (err: unknown) => void,
): Promise<Toolbox | null> {
  const boxes = await Promise.all(
    sources.map(async (source) => {
      try {
        return await source(ctx);
      } catch (err) {
        onError(err);
        return null;
      }
    }),
  );
  return combineToolboxes(boxes);
}

/** A call's JSON arguments, or the error text the model gets for bad ones. */
export function parseArguments(
  call: ToolCall,
): { ok: true; args: unknown } | (ToolResult & { ok: false }) {
  try {
    return { ok: true, args: call.arguments.trim() ? JSON.parse(call.arguments) : {} };
  } catch {
    return { ok: false, text: `The arguments of ${call.name} are not valid JSON.` };
  }
}

/** A result cut to what the model can take, with a note where it was cut. */
export function capResult(text: string): string {
  return text.length > MAX_RESULT_CHARS
    ? `${text.slice(0, MAX_RESULT_CHARS)}\n[cut at ${MAX_RESULT_CHARS} characters]`
    : text;
}
