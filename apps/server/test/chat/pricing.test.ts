import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chat, ChatSnapshot, Project } from '@boocode/protocol';
import { makeGitRepo, type ChatRequest, type Reply } from '@boocode/testkit';
import { costOf, loadPrices, parsePrices } from '../../src/chat/pricing.ts';
import { totalCost } from '../../src/chat/usage.ts';
import { ConfigError } from '../../src/config.ts';
import { startHarness, WsClient, type Harness } from '../helpers.ts';

describe('prices', () => {
  it('keeps money in integer micro-dollars', () => {
    const prices = parsePrices({ m: { input: 2.5, output: 10 }, free: { input: 0, output: 0 } });
    expect(prices.get('m')).toEqual({ input: 2_500_000, output: 10_000_000 });
    expect(costOf(prices, 'm', { promptTokens: 1000, completionTokens: 500 })).toBe(7500);
    expect(costOf(prices, 'm', { promptTokens: 1, completionTokens: 0 })).toBe(3); // 2.5 rounds to 3, never a float
    expect(costOf(prices, 'free', { promptTokens: 1000, completionTokens: 1000 })).toBe(0);
    expect(costOf(prices, 'unknown', { promptTokens: 1000, completionTokens: 1000 })).toBeNull();
    expect(
      totalCost([
        { promptTokens: 1, completionTokens: 1, costMicros: 5 },
        { promptTokens: 1, completionTokens: 1, costMicros: 7 },
      ]),
    ).toBe(12);
    expect(
      totalCost([
        { promptTokens: 1, completionTokens: 1, costMicros: 5 },
        { promptTokens: 1, completionTokens: 1, costMicros: null },
      ]),
    ).toBeNull();
  });

  it('reads the price table from the environment or models.json, and names a bad one', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'boocode-prices-'));
    expect((await loadPrices(home, null)).size).toBe(0);
    await writeFile(path.join(home, 'models.json'), JSON.stringify({ a: { input: 1, output: 2 } }));
    expect((await loadPrices(home, null)).get('a')).toEqual({
      input: 1_000_000,
      output: 2_000_000,
    });
    expect((await loadPrices(home, '{"b":{"input":3,"output":4}}')).has('b')).toBe(true);
    await expect(loadPrices(home, '{"b":{"input":-1,"output":4}}')).rejects.toThrow(ConfigError);
    await expect(loadPrices(home, 'nope')).rejects.toThrow(/^BOOCODE_MODEL_PRICES: not valid JSON/);
    await writeFile(path.join(home, 'models.json'), '{');
    await expect(loadPrices(home, null)).rejects.toThrow(/models\.json: not valid JSON/);
    await rm(home, { recursive: true, force: true });
  });
});

let h: Harness;
let repo: string;
beforeAll(async () => {
  repo = await makeGitRepo(await mkdtemp(path.join(os.tmpdir(), 'boocode-cost-')), {
    'src/a.ts': 'export const a = 1;\n',
  });
  h = await startHarness(
    {},
    { prices: parsePrices({ 'scripted-small': { input: 2, output: 8 } }) },
  );
});
afterAll(async () => {
  await h.close();
  await rm(repo, { recursive: true, force: true });
});

describe('cost of a reply', () => {
  it('counts every model call, the tokens each tool result added, and the chat total', async () => {
    const project = (await h.api<Project>('POST', '/api/projects', { path: repo })).body;
    const chat = (
      await h.api<Chat>('POST', '/api/chats', { projectId: project.id, model: 'scripted-small' })
    ).body;
    h.model.setScript((req: ChatRequest): Reply =>
      req.messages.at(-1)?.role === 'tool'
        ? { content: ['done'], usage: { prompt_tokens: 180, completion_tokens: 20 } }
        : {
            toolCalls: [{ name: 'read_file', arguments: '{"path":"src/a.ts"}' }],
            usage: { prompt_tokens: 100, completion_tokens: 10 },
          },
    );
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    const send = async () => {
      const { messageId } = (
        await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, {
          content: 'go',
        })
      ).body;
      return ws.waitForFinish(messageId);
    };
    const finished = await send();
    expect(finished).toMatchObject({
      calls: [
        { promptTokens: 100, completionTokens: 10, costMicros: 280 },
        { promptTokens: 180, completionTokens: 20, costMicros: 520 },
      ],
      costMicros: 800,
      usage: { promptTokens: 280, completionTokens: 30 },
    });
    const totals = await ws.waitFor(
      (f) => f.type === 'chats.changed' && f.chat?.id === chat.id && f.chat.usage.costMicros > 0,
    );
    expect(totals).toMatchObject({
      chat: { usage: { promptTokens: 280, completionTokens: 30, costMicros: 800 } },
    });

    const snap = (await h.api<ChatSnapshot>('GET', `/api/chats/${chat.id}`)).body;
    const reply = snap.messages[1]!;
    expect(reply.costMicros).toBe(800);
    // 180 - (100 + 10): what the read_file result added to the second call's prompt
    expect(reply.parts.find((p) => p.type === 'tool_result')).toMatchObject({ tokens: 70 });

    // A regenerated reply replaces the message, but the money spent stays counted.
    const { messageId } = (
      await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/regenerate`, {})
    ).body;
    await ws.waitForFinish(messageId);
    await ws.waitFor(
      (f) =>
        f.type === 'chats.changed' && f.chat?.id === chat.id && f.chat.usage.costMicros === 1600,
    );
    ws.close();
  });

  it('leaves the cost empty for a model without a price, still counting tokens', async () => {
    const chat = (await h.api<Chat>('POST', '/api/chats', { model: 'scripted-large' })).body;
    h.model.setScript([{ content: ['hi'], usage: { prompt_tokens: 5, completion_tokens: 1 } }]);
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    const { messageId } = (
      await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, {
        content: 'go',
      })
    ).body;
    expect(await ws.waitForFinish(messageId)).toMatchObject({
      costMicros: null,
      calls: [{ promptTokens: 5, completionTokens: 1, costMicros: null }],
    });
    ws.close();
  });
});
