import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxList, QuestionReply } from '@boocode/protocol';
import { startHarness, type Harness } from './agents/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function ask(question: string, more: Record<string, unknown> = {}) {
  const res = await h.api('POST', '/api/coder/questions', { question, asker: 'claude', ...more });
  expect(res.status).toBe(201);
  return QuestionReply.parse(res.body).question;
}

const questionsInInbox = async () =>
  InboxList.parse((await h.api('GET', '/api/coder/inbox')).body).items.filter(
    (i) => i.kind === 'question',
  );

describe('questions for the human', () => {
  it('waits in the Inbox until answered once; the asker reads the answer', async () => {
    const { project } = await h.project({});
    const q = await ask('Which port should the server use?', { projectId: project.id });
    expect(q).toMatchObject({ status: 'pending', answer: null, asker: 'claude' });
    expect(await questionsInInbox()).toEqual([
      {
        kind: 'question',
        questionId: q.id,
        asker: 'claude',
        projectId: project.id,
        question: 'Which port should the server use?',
        createdAt: q.createdAt,
      },
    ]);
    const answered = await h.api('POST', `/api/coder/questions/${q.id}/answer`, { answer: '8080' });
    expect(answered.status).toBe(200);
    const read = await h.api('GET', `/api/coder/questions/${q.id}`);
    expect(QuestionReply.parse(read.body).question).toMatchObject({
      status: 'answered',
      answer: '8080',
    });
    expect(await questionsInInbox()).toEqual([]);
    const again = await h.api('POST', `/api/coder/questions/${q.id}/answer`, { answer: '9090' });
    expect(again.status).toBe(409);
  });

  it('leaves the Inbox when the asker gives up, and cannot be answered then', async () => {
    const q = await ask('Still there?');
    expect((await h.api('DELETE', `/api/coder/questions/${q.id}`)).status).toBe(200);
    expect(await questionsInInbox()).toEqual([]);
    const late = await h.api('POST', `/api/coder/questions/${q.id}/answer`, { answer: 'yes' });
    expect(late.status).toBe(409);
  });

  it('is announced on the Inbox socket', async () => {
    const inbox = await h.socket('/api/coder/inbox/ws');
    await inbox.until(() => true);
    const q = await ask('Ready to deploy?');
    await inbox.until((m) =>
      InboxList.parse(m).items.some((i) => i.kind === 'question' && i.questionId === q.id),
    );
    await h.api('DELETE', `/api/coder/questions/${q.id}`);
  });

  it('refuses an empty question, an unknown project and an unknown question, changing nothing', async () => {
    const empty = await h.api('POST', '/api/coder/questions', { question: '  ' });
    expect(empty.status).toBe(400);
    const project = await h.api('POST', '/api/coder/questions', {
      question: 'x',
      projectId: crypto.randomUUID(),
    });
    expect(project.status).toBe(404);
    const unknown = await h.api('GET', `/api/coder/questions/${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(await questionsInInbox()).toEqual([]);
  });
});
