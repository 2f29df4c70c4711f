import { createPathGuard, readFile, search, type PathGuard, type ToolError } from '@boocode/files';
import { getChat, getProject, type Sql } from '@boocode/db';
import {
  AppError,
  notFound,
  type FileContent,
  type Project,
  type QueueWriteBody,
  type QueueWriteReply,
  type ReadFileQuery,
  type SearchFilesQuery,
  type SearchReply,
} from '@boocode/protocol';
import { changesOf, toPendingChange } from './coder-service.ts';

/**
 * A project's files for the CLI and its MCP server: reads and searches through a path guard over
 * the project's own folder (read grants of chats do not apply), writes only into the queue.
 */
export class ProjectFiles {
  constructor(private readonly sql: Sql) {}

  async read(projectId: string, q: ReadFileQuery): Promise<FileContent> {
    const { guard } = await this.open(projectId);
    const r = await readFile(guard, { path: q.path, startLine: q.startLine, endLine: q.endLine });
    if (!r.ok) throw refused(r);
    return {
      path: r.path,
      content: r.content,
      startLine: r.startLine,
      endLine: r.endLine,
      totalLines: r.totalLines ?? null,
      truncated: r.truncated,
      note: r.note ?? null,
    };
  }

  async search(projectId: string, q: SearchFilesQuery): Promise<SearchReply> {
    const { guard } = await this.open(projectId);
    const r = await search(guard, q);
    if (!r.ok) throw refused(r);
    return { matches: r.matches, truncated: r.truncated, note: r.note ?? null };
  }

  async queueWrite(projectId: string, body: QueueWriteBody): Promise<QueueWriteReply> {
    const { project } = await this.open(projectId);
    if (body.chatId !== undefined) {
      const chat = await getChat(this.sql, body.chatId);
      if (!chat) throw notFound('chat');
      if (chat.projectId !== project.id) {
        throw new AppError('bad_request', 'The chat belongs to another project.');
      }
    }
    const r = await changesOf(this.sql, project).queue(body.chatId ?? null, {
      kind: 'write',
      path: body.path,
      content: body.content,
    });
    if (!r.ok) throw refused(r);
    return { change: toPendingChange(r.change), onTopOf: r.onTopOf };
  }

  private async open(projectId: string): Promise<{ project: Project; guard: PathGuard }> {
    const project = await getProject(this.sql, projectId);
    if (!project) throw notFound('project');
    try {
      return { project, guard: createPathGuard([{ id: project.name, path: project.path }]) };
    } catch {
      throw new AppError('conflict', `The folder of project "${project.name}" is gone.`);
    }
  }
}

/** A file tool's refusal as the one error vocabulary: its message is meant for the caller. */
function refused(r: ToolError | { code: string; message: string }): AppError {
  switch (r.code) {
    case 'not_found':
      return new AppError('not_found', r.message);
    case 'limit_reached':
      return new AppError('limit_reached', r.message);
    case 'conflict':
    case 'io_error':
    case 'tool_unavailable':
      return new AppError('conflict', r.message);
    default:
      return new AppError('bad_request', r.message);
  }
}
