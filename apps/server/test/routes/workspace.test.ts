import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace, WorkspaceState } from '@boocode/protocol';
import { startHarness, type Harness } from '../helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const CHAT = '00000000-0000-4000-8000-000000000001';

const twoPanes: Workspace = {
  layout: {
    type: 'split',
    id: 's1',
    orientation: 'horizontal',
    sizes: [60, 40],
    children: [
      { type: 'pane', id: 'main', pane: { kind: 'chat', chatId: null, followsUrl: true } },
      {
        type: 'split',
        id: 's2',
        orientation: 'vertical',
        sizes: [50, 50],
        children: [
          { type: 'pane', id: 'p2', pane: { kind: 'chat', chatId: CHAT, followsUrl: false } },
          { type: 'pane', id: 'p3', pane: { kind: 'chat', chatId: null, followsUrl: false } },
        ],
      },
    ],
  },
  maximized: 'p2',
};

describe('workspace layout', () => {
  it('answers the default layout, one chat pane following the address, before any save', async () => {
    const r = await h.api<WorkspaceState>('GET', '/api/workspace');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      workspace: {
        layout: {
          type: 'pane',
          id: 'main',
          pane: { kind: 'chat', chatId: null, followsUrl: true },
        },
        maximized: null,
      },
      updatedAt: null,
    });
  });

  it('stores a layout and gives it back as saved', async () => {
    const put = await h.api<WorkspaceState>('PUT', '/api/workspace', twoPanes);
    expect(put.status).toBe(200);
    expect(put.body.workspace).toEqual(twoPanes);
    const got = await h.api<WorkspaceState>('GET', '/api/workspace');
    expect(got.body.workspace).toEqual(twoPanes);
    expect(got.body.updatedAt).toBe(put.body.updatedAt);
  });

  it('keeps an empty workspace (every pane closed)', async () => {
    const empty: Workspace = { layout: null, maximized: null };
    expect((await h.api('PUT', '/api/workspace', empty)).status).toBe(200);
    expect((await h.api<WorkspaceState>('GET', '/api/workspace')).body.workspace).toEqual(empty);
    expect((await h.api('PUT', '/api/workspace', twoPanes)).status).toBe(200);
  });

  const split = twoPanes.layout as Extract<Workspace['layout'], { type: 'split' }>;
  const bad: [string, unknown][] = [
    ['a body that is not a layout', { panes: [] }],
    ['sizes that do not add up to 100', { ...twoPanes, layout: { ...split, sizes: [70, 40] } }],
    ['one size too few', { ...twoPanes, layout: { ...split, sizes: [100] } }],
    [
      'a split with one child',
      { ...twoPanes, layout: { ...split, children: [split.children[0]], sizes: [100] } },
    ],
    [
      'two panes with one id',
      {
        ...twoPanes,
        layout: { ...split, children: [split.children[0], { ...split.children[0] }] },
      },
    ],
    [
      'an unknown pane kind',
      { layout: { type: 'pane', id: 'x', pane: { kind: 'browser', url: 'x' } }, maximized: null },
    ],
    [
      'two chat panes following the address',
      {
        ...twoPanes,
        layout: {
          ...split,
          children: [
            split.children[0],
            { type: 'pane', id: 'p9', pane: { kind: 'chat', chatId: null, followsUrl: true } },
          ],
        },
      },
    ],
    ['a maximised pane that is not there', { ...twoPanes, maximized: 'nope' }],
    [
      'a chat id that is not a uuid',
      {
        layout: {
          type: 'pane',
          id: 'x',
          pane: { kind: 'chat', chatId: '../../x', followsUrl: false },
        },
        maximized: null,
      },
    ],
  ];

  it.each(bad)('refuses %s with 400 and keeps the stored layout', async (_name, body) => {
    const r = await h.api<{ code: string; message: string }>('PUT', '/api/workspace', body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('bad_request');
    const got = await h.api<WorkspaceState>('GET', '/api/workspace');
    expect(got.body.workspace).toEqual(twoPanes);
  });

  it('refuses splits nested deeper than the limit', async () => {
    let node: Workspace['layout'] = {
      type: 'pane',
      id: 'leaf',
      pane: { kind: 'chat', chatId: null, followsUrl: false },
    };
    for (let i = 0; i < 9; i++) {
      node = {
        type: 'split',
        id: `s${i}`,
        orientation: 'horizontal',
        sizes: [50, 50],
        children: [
          node,
          { type: 'pane', id: `q${i}`, pane: { kind: 'chat', chatId: null, followsUrl: false } },
        ],
      };
    }
    const r = await h.api('PUT', '/api/workspace', { layout: node, maximized: null });
    expect(r.status).toBe(400);
  });

  it('falls back to the default when the stored layout no longer parses', async () => {
    await h.db
      .sql`update workspaces set layout = ${h.db.sql.json({ layout: { type: 'pane', id: 'x', pane: { kind: 'gone' } }, maximized: null })}`;
    const r = await h.api<WorkspaceState>('GET', '/api/workspace');
    expect(r.status).toBe(200);
    expect(r.body.updatedAt).toBeNull();
    expect(r.body.workspace.layout).toMatchObject({
      type: 'pane',
      pane: { kind: 'chat', followsUrl: true },
    });
  });
});
