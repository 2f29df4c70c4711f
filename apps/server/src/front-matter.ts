import { parse } from 'yaml';
import type { z } from 'zod';

/**
 * Splits a Markdown file that starts with YAML front matter (`---` lines) into
 * the parsed front matter and the body. No front matter: an empty object.
 * Bad YAML throws, with the parser's message.
 */
export function parseFrontMatter(text: string): { data: Record<string, unknown>; body: string } {
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return { data: {}, body: text.trim() };
  const data: unknown = parse(m[1]!) ?? {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new Error('the front matter is not a mapping');
  return { data: data as Record<string, unknown>, body: text.slice(m[0].length).trim() };
}

/** The first problem of a front matter, naming its field: `description: ...`. */
export function describeIssue(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'bad front matter';
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
