import { describe, expect, it } from 'vitest';
import type { InboxItem } from '@boocode/protocol';
import { inboxLabel, newInboxItems } from '../../../src/features/inbox/inbox-items.ts';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const item = (n: number): InboxItem => ({
  kind: 'permission',
  permissionId: id(n),
  sessionId: id(100),
  chatId: id(200),
  projectId: id(300),
  provider: 'claude',
  title: `Request ${n}`,
  options: [{ id: 'allow', name: 'Allow', kind: 'allow_once' }],
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('newInboxItems', () => {
  it('announces nothing from the first list', () => {
    expect(newInboxItems(null, [item(1), item(2)])).toEqual([]);
  });

  it('announces only the requests that were not in the last list', () => {
    const seen = new Set([id(1), id(2)]);
    expect(newInboxItems(seen, [item(2), item(3)])).toEqual([item(3)]);
  });

  it('announces a new question as well, by its own id', () => {
    const question: InboxItem = {
      kind: 'question',
      questionId: id(9),
      asker: 'claude',
      projectId: null,
      question: 'Which port?',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    expect(newInboxItems(new Set([id(1)]), [item(1), question])).toEqual([question]);
    expect(newInboxItems(new Set([id(1), id(9)]), [item(1), question])).toEqual([]);
  });

  it('announces nothing when requests only went away', () => {
    expect(newInboxItems(new Set([id(1), id(2)]), [item(1)])).toEqual([]);
  });
});

describe('inboxLabel', () => {
  it('names the count when requests wait, and nothing else otherwise', () => {
    expect(inboxLabel(2)).toBe('Inbox (2)');
    expect(inboxLabel(0)).toBe('Inbox');
  });
});
