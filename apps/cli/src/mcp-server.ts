import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  FileContent,
  InboxList,
  PendingList,
  QuestionReply,
  QueueWriteReply,
  SearchReply,
} from '@boocode/protocol';
import { runAgent } from './agent-run.ts';
import type { Api } from './client.ts';
import { findProject } from './resolve.ts';

const project = z.string().min(1).describe("the project: its name, its folder's path, or its id");

const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });
const failure = (t: string): CallToolResult => ({ ...text(t), isError: true });

/**
 * Every tool's body: a refusal (bad path, no such project, server down) becomes a tool error
 * with the reason, for the calling agent to read; it never ends the MCP server.
 */
function tool<A>(fn: (args: A, extra: { signal: AbortSignal }) => Promise<CallToolResult>) {
  return async (args: A, extra: { signal: AbortSignal }): Promise<CallToolResult> => {
    try {
      return await fn(args, extra);
    } catch (err) {
      return failure(err instanceof Error ? err.message : String(err));
    }
  };
}

/** boocode's six tools for other agents, each through the running server's API. */
export function buildMcpServer(api: () => Promise<Api>): McpServer {
  const server = new McpServer({ name: 'boocode', version: '0.0.0' });

  server.registerTool(
    'read_file',
    {
      description:
        "Read a text file of a boocode project (lines numbered 'N<tab>'). Paths are relative to the project.",
      inputSchema: {
        project,
        path: z.string().min(1),
        startLine: z.number().int().min(1).optional(),
        endLine: z.number().int().min(1).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    tool(async (a: { project: string; path: string; startLine?: number; endLine?: number }) => {
      const c = await api();
      const p = await findProject(c, a.project);
      const r = await c.get(FileContent, `/api/coder/projects/${p.id}/file`, {
        path: a.path,
        startLine: a.startLine,
        endLine: a.endLine,
      });
      return text(r.note ? `${r.content}\n\n(${r.note})` : r.content);
    }),
  );

  server.registerTool(
    'search',
    {
      description:
        'Search a boocode project with ripgrep (a regular expression); answers path:line: text.',
      inputSchema: {
        project,
        query: z.string().min(1),
        path: z.string().optional().describe('a folder or file to search in'),
        glob: z.string().optional().describe('e.g. *.ts'),
      },
      annotations: { readOnlyHint: true },
    },
    tool(async (a: { project: string; query: string; path?: string; glob?: string }) => {
      const c = await api();
      const p = await findProject(c, a.project);
      const r = await c.get(SearchReply, `/api/coder/projects/${p.id}/search`, {
        query: a.query,
        path: a.path,
        glob: a.glob,
      });
      const lines = r.matches.map((m) => `${m.path}:${m.line}: ${m.text}`);
      if (r.note) lines.push(`(${r.note})`);
      return text(lines.join('\n') || 'No matches.');
    }),
  );

  server.registerTool(
    'queue_edit',
    {
      description:
        "Propose a file's whole new content. It is queued for the human's review in boocode, never written directly.",
      inputSchema: { project, path: z.string().min(1), content: z.string() },
    },
    tool(async (a: { project: string; path: string; content: string }) => {
      const c = await api();
      const p = await findProject(c, a.project);
      const r = await c.post(QueueWriteReply, `/api/coder/projects/${p.id}/pending`, {
        path: a.path,
        content: a.content,
      });
      const ch = r.change;
      return text(
        `Queued for review: ${ch.kind} ${ch.path} (+${ch.additions} -${ch.deletions}), change ${ch.id}.`,
      );
    }),
  );

  server.registerTool(
    'list_pending',
    {
      description: "The project's changes waiting for review, with their diffs (JSON).",
      inputSchema: { project },
      annotations: { readOnlyHint: true },
    },
    tool(async (a: { project: string }) => {
      const c = await api();
      const p = await findProject(c, a.project);
      const r = await c.get(PendingList, '/api/coder/pending', { projectId: p.id });
      return text(JSON.stringify(r.changes, null, 2));
    }),
  );

  server.registerTool(
    'ask_human',
    {
      description:
        'Ask the human a question through the boocode Inbox and wait for the answer (it may take a while: they answer when they see it). Give the project when the question is about one.',
      inputSchema: { question: z.string().min(1), project: project.optional() },
    },
    tool(async (a: { question: string; project?: string }, extra) => {
      const c = await api();
      const projectId = a.project ? (await findProject(c, a.project)).id : undefined;
      const asker = server.server.getClientVersion()?.name ?? 'an agent';
      const { question } = await c.post(QuestionReply, '/api/coder/questions', {
        question: a.question,
        asker,
        ...(projectId ? { projectId } : {}),
      });
      // The caller gave up (its request cancelled): the question leaves the Inbox.
      const giveUp = () =>
        void c
          .request(QuestionReply, 'DELETE', `/api/coder/questions/${question.id}`)
          .catch(() => {});
      extra.signal.addEventListener('abort', giveUp, { once: true });
      try {
        // Until the question leaves the Inbox (answered, or given up elsewhere).
        await c.follow('/api/coder/inbox/ws', {}, InboxList, (m) =>
          m.items.some((i) => i.kind === 'question' && i.questionId === question.id)
            ? undefined
            : true,
        );
      } finally {
        extra.signal.removeEventListener('abort', giveUp);
      }
      const settled = (await c.get(QuestionReply, `/api/coder/questions/${question.id}`)).question;
      return settled.status === 'answered'
        ? text(settled.answer ?? '')
        : failure('The question was withdrawn before the human answered it.');
    }),
  );

  server.registerTool(
    'dispatch',
    {
      description:
        'Hand a self-contained task to a coding agent (a boocode provider such as claude, opencode, qwen) in its own worktree of the project; answers its final text, the files it changed (queued for review) and its status.',
      inputSchema: {
        provider: z.string().min(1),
        project,
        prompt: z.string().min(1),
        mode: z.string().optional(),
        model: z.string().optional(),
      },
    },
    tool(
      async (a: {
        provider: string;
        project: string;
        prompt: string;
        mode?: string;
        model?: string;
      }) => {
        const c = await api();
        const p = await findProject(c, a.project);
        const r = await runAgent(c, { ...a, projectId: p.id });
        const result = {
          status: r.status,
          reason: r.reason,
          text: r.text,
          changedPaths: r.changedPaths,
          sessionId: r.session.id,
        };
        return text(JSON.stringify(result, null, 2));
      },
    ),
  );

  return server;
}

/** `boocode mcp`: the server on stdin/stdout until the client goes. */
export async function serveMcp(api: () => Promise<Api>): Promise<void> {
  const server = buildMcpServer(api);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await server.connect(transport);
  process.stdin.once('end', () => void server.close());
  await closed;
}
