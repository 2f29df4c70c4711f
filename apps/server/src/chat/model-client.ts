import OpenAI from 'openai';
import type { ModelInfo, ModelList, Usage } from '@boocode/protocol';
import { AppError } from '@boocode/protocol';
import { ThinkParser, type Piece } from './think-parser.ts';

/** One message of the conversation, as the endpoint takes it. */
export type ChatTurn = OpenAI.ChatCompletionMessageParam;

export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

/** One streamed completion: what to ask, and where its pieces go. */
export interface StreamRequest {
  model: string;
  turns: ChatTurn[];
  signal: AbortSignal;
  /** Answer text and reasoning, in order, as they arrive. */
  onPiece: (p: Piece) => void;
  /** Reading the body waits for it, so the request can go out while the caller gets ready. */
  gate?: Promise<unknown>;
  /** The tools the model may call; none when empty or left out. */
  tools?: ToolSpec[];
}

export interface StreamResult {
  usage: Usage | null;
  finishReason: string;
  /** The tools the model asked for, in order; empty when it answered. */
  toolCalls: ToolCall[];
}

const MODELS_TTL_MS = 60_000;

/** What a reply needs of a model endpoint: one streamed completion at a time. */
export interface ModelStreamer {
  stream(req: StreamRequest): Promise<StreamResult>;
}

/** The OpenAI-compatible endpoint: model list (cached) and streamed completions. */
export class ModelClient implements ModelStreamer {
  private readonly client: OpenAI;
  private cache: { at: number; list: ModelList } | null = null;

  constructor(
    readonly baseUrl: string,
    apiKey: string | null,
  ) {
    this.client = new OpenAI({
      baseURL: baseUrl,
      apiKey: apiKey ?? 'none',
      maxRetries: 0,
      timeout: 10 * 60_000,
    });
  }

  async listModels(refresh = false): Promise<ModelList> {
    if (!refresh && this.cache && Date.now() - this.cache.at < MODELS_TTL_MS)
      return this.cache.list;
    try {
      const page = await this.client.models.list({ timeout: 10_000 });
      const models = page.data.map((m) => toModelInfo(m as unknown as RawModel));
      this.cache = { at: Date.now(), list: { models, error: null } };
      return this.cache.list;
    } catch (err) {
      // Not cached: the next look tries again.
      return { models: [], error: describeModelError(err, this.baseUrl) };
    }
  }

  /**
   * Streams one completion. `onPiece` gets answer text and reasoning in order,
   * from `reasoning_content` / `reasoning` deltas and `<think>` tags alike.
   * Throws AppError on endpoint failures; an abort rejects with the signal's reason.
   */
  async stream({
    model,
    turns,
    signal,
    onPiece,
    gate = Promise.resolve(),
    tools = [],
  }: StreamRequest): Promise<StreamResult> {
    const think = new ThinkParser();
    // Tool calls come in pieces keyed by index: the id and name first, the arguments in chunks.
    const calls: ToolCall[] = [];
    let usage: Usage | null = null;
    let finishReason: string | null = null;
    try {
      const stream = await this.client.chat.completions.create(
        {
          model,
          messages: turns,
          stream: true,
          stream_options: { include_usage: true },
          ...(tools.length
            ? { tools: tools.map((t) => ({ type: 'function' as const, function: t })) }
            : {}),
        },
        { signal },
      );
      await gate;
      if (signal.aborted) throw signal.reason;
      for await (const chunk of stream) {
        if (chunk.usage) {
          usage = {
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
          };
        }
        const choice = chunk.choices[0];
        if (!choice) continue;
        const delta = choice.delta as {
          content?: string | null;
          reasoning_content?: string | null;
          reasoning?: string | null;
        };
        const reasoning = delta.reasoning_content ?? delta.reasoning;
        if (reasoning) onPiece({ kind: 'reasoning', text: reasoning });
        if (delta.content) for (const p of think.push(delta.content)) onPiece(p);
        for (const tc of choice.delta.tool_calls ?? []) {
          const call = (calls[tc.index] ??= { id: '', name: '', arguments: '' });
          if (tc.id) call.id = tc.id;
          if (tc.function?.name) call.name += tc.function.name;
          if (tc.function?.arguments) call.arguments += tc.function.arguments;
        }
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      throw new AppError(
        err instanceof OpenAI.APIConnectionError ? 'model_unreachable' : 'model_error',
        describeModelError(err, this.baseUrl),
      );
    } finally {
      for (const p of think.end()) onPiece(p);
    }
    if (signal.aborted) throw signal.reason;
    if (!finishReason) {
      throw new AppError(
        'model_error',
        'The model endpoint closed the stream before the reply was complete.',
      );
    }
    const toolCalls = calls
      .filter((c) => c.name)
      .map((c, i) => ({ ...c, id: c.id || `call_${i}` }));
    return { usage, finishReason, toolCalls };
  }
}

interface RawModel {
  id: string;
  context_length?: number;
  max_model_len?: number;
  meta?: { n_ctx?: number; n_ctx_train?: number };
}

function toModelInfo(m: RawModel): ModelInfo {
  const ctx = m.context_length ?? m.max_model_len ?? m.meta?.n_ctx ?? null;
  return { id: m.id, contextLength: typeof ctx === 'number' && ctx > 0 ? Math.floor(ctx) : null };
}

/** A message for the user: what went wrong with the endpoint, never a key or a stack. */
export function describeModelError(err: unknown, baseUrl: string): string {
  if (err instanceof OpenAI.APIConnectionTimeoutError) {
    return `The model endpoint at ${baseUrl} did not answer in time.`;
  }
  if (err instanceof OpenAI.APIConnectionError) {
    const cause = (err.cause as { code?: string; cause?: { code?: string } } | undefined) ?? {};
    const code = cause.code ?? cause.cause?.code;
    if (code === 'ECONNREFUSED')
      return `Could not reach the model endpoint at ${baseUrl}: connection refused.`;
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') {
      return `The model endpoint at ${baseUrl} closed the connection.`;
    }
    return `Could not reach the model endpoint at ${baseUrl}${code ? ` (${code})` : ''}.`;
  }
  if (err instanceof OpenAI.APIError && err.status) {
    const detail = err.message.replace(/^\d{3}\s*/, '').slice(0, 300);
    return `The model endpoint answered HTTP ${err.status}${detail ? `: ${detail}` : ''}.`;
  }
  // undici's word for a response body cut off mid-way
  if (err instanceof TypeError && err.message === 'terminated') {
    return `The model endpoint at ${baseUrl} closed the connection in the middle of the reply.`;
  }
  if (err instanceof SyntaxError || (err instanceof Error && /JSON|parse/i.test(err.message))) {
    return 'The model endpoint sent a response that could not be read (malformed stream).';
  }
  return `The model call failed: ${err instanceof Error ? err.message.slice(0, 300) : 'unknown error'}.`;
}
