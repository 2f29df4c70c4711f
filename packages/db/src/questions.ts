import type { Question } from '@boocode/protocol';
import type { Queryable } from './sql.ts';

interface QuestionRow {
  id: string;
  asker: string;
  projectId: string | null;
  question: string;
  status: Question['status'];
  answer: string | null;
  createdAt: Date;
  answeredAt: Date | null;
}

const toQuestion = (r: QuestionRow): Question => ({
  id: r.id,
  asker: r.asker,
  projectId: r.projectId,
  question: r.question,
  status: r.status,
  answer: r.answer,
  createdAt: r.createdAt.toISOString(),
  answeredAt: r.answeredAt?.toISOString() ?? null,
});

export async function insertQuestion(
  sql: Queryable,
  q: { asker: string; projectId: string | null; question: string },
): Promise<Question> {
  const [row] = await sql<QuestionRow[]>`
    insert into agent_questions (asker, project_id, question)
    values (${q.asker}, ${q.projectId}, ${q.question}) returning *`;
  return toQuestion(row!);
}

export async function getQuestion(sql: Queryable, id: string): Promise<Question | null> {
  const [row] = await sql<QuestionRow[]>`select * from agent_questions where id = ${id}`;
  return row ? toQuestion(row) : null;
}

/** Answers or cancels a pending question; null when it was settled already (or is gone). */
export async function settleQuestion(
  sql: Queryable,
  id: string,
  answer: string | null,
): Promise<Question | null> {
  const [row] = await sql<QuestionRow[]>`
    update agent_questions set answer = ${answer}, answered_at = now(),
      status = ${answer === null ? 'cancelled' : 'answered'}
    where id = ${id} and status = 'pending' returning *`;
  return row ? toQuestion(row) : null;
}

/** The questions waiting for an answer, oldest first. */
export async function listPendingQuestions(sql: Queryable): Promise<Question[]> {
  const rows = await sql<QuestionRow[]>`
    select * from agent_questions where status = 'pending' order by created_at, id`;
  return rows.map(toQuestion);
}
