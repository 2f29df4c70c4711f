import { z } from 'zod';
import { Id } from './chat.ts';

/**
 * Questions for the human: an agent (through boocode's MCP server, `ask_human`) asks in free
 * text and waits; the answer is given once, in the Inbox. REST under /api/coder/questions.
 */

export const QuestionStatus = z.enum(['pending', 'answered', 'cancelled']);

export const Question = z.object({
  id: Id,
  /** Who asks, as the asker names itself (an agent's name, "boocode mcp"...). */
  asker: z.string(),
  /** The project the question is about, when the asker said. */
  projectId: Id.nullable(),
  question: z.string(),
  status: QuestionStatus,
  answer: z.string().nullable(),
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
});
export type Question = z.infer<typeof Question>;

export const AskBody = z
  .object({
    question: z.string().trim().min(1).max(10_000),
    asker: z.string().trim().min(1).max(100).default('an agent'),
    projectId: Id.optional(),
  })
  .strict();
export const QuestionParams = z.object({ questionId: Id });
export const QuestionAnswerBody = z
  .object({ answer: z.string().trim().min(1).max(10_000) })
  .strict();
export const QuestionReply = z.object({ question: Question });
