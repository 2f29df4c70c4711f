import { changeDiff, ProjectChanges } from '@boocode/files';
import {
  createChat,
  getChat,
  getCheckpoint,
  getProject,
  listChanges,
  listCheckpoints,
  publicChat,
  publicCheckpoint,
  rejectPending,
  setAutoApply,
  type CoderRefusal,
  type Sql,
  type StoredChange,
} from '@boocode/db';
import {
  AppError,
  type ApplyResult,
  type ChangeScope,
  type Chat,
  type Checkpoint,
  notFound,
  type PendingChange,
  type Project,
  type RewindResult,
  type ChangeStatus,
} from '@boocode/protocol';

/** The coder's operations over the queue, for the REST routes. */
export class CoderService {
  constructor(private readonly sql: Sql) {}

  async createChat(input: { projectId: string; model?: string; title?: string }): Promise<Chat> {
    const project = await getProject(this.sql, input.projectId);
    if (!project) throw notFound('project');
    const chat = await createChat(this.sql, {
      title: input.title ?? `Coder: ${project.name}`,
      model: input.model ?? null,
      projectId: project.id,
      kind: 'coder',
    });
    return publicChat(chat);
  }

  async chat(chatId: string): Promise<Chat> {
    const chat = await getChat(this.sql, chatId);
    if (!chat) throw notFound('chat');
    return publicChat(chat);
  }

  async setAutoApply(chatId: string, on: boolean): Promise<Chat> {
    const chat = await setAutoApply(this.sql, chatId, on);
    if (!chat) throw notFound('chat');
    return publicChat(chat);
  }

  async listPending(scope: ChangeScope, status: ChangeStatus): Promise<PendingChange[]> {
    const { chatId, project } = await this.resolve(scope);
    const rows = await listChanges(this.sql, { chatId, projectId: project.id }, { status });
    return rows.map(toPendingChange);
  }

  async apply(scope: ChangeScope, ids: string[] | undefined): Promise<ApplyResult> {
    const { chatId, project } = await this.resolve(scope);
    const r = await changesOf(this.sql, project).apply({ chatId }, ids);
    if (!r.ok) throw refusal(r);
    return { applied: r.applied, checkpoint: publicCheckpoint(r.checkpoint) };
  }

  async reject(scope: ChangeScope, ids: string[] | undefined): Promise<string[]> {
    const { chatId, project } = await this.resolve(scope);
    return rejectPending(this.sql, project.id, { chatId }, ids);
  }

  async checkpoints(scope: ChangeScope): Promise<Checkpoint[]> {
    const { chatId, project } = await this.resolve(scope);
    const rows = await listCheckpoints(this.sql, { chatId, projectId: project.id });
    return rows.map(publicCheckpoint);
  }

  async rewind(checkpointId: string): Promise<RewindResult> {
    const checkpoint = await getCheckpoint(this.sql, checkpointId);
    if (!checkpoint) throw notFound('checkpoint');
    const { project } = await this.resolve({ projectId: checkpoint.projectId });
    const r = await changesOf(this.sql, project).rewind(checkpointId);
    if (!r.ok) throw refusal(r);
    return { rewound: r.rewound, restored: r.restored };
  }

  /** The project of a scope (a chat's own, or the one named), checked to agree. */
  private async resolve(scope: ChangeScope): Promise<{ chatId?: string; project: Project }> {
    let projectId = scope.projectId;
    if (scope.chatId !== undefined) {
      const chat = await getChat(this.sql, scope.chatId);
      if (!chat) throw notFound('chat');
      if (!chat.projectId) throw new AppError('conflict', 'This chat has no project.');
      if (projectId !== undefined && projectId !== chat.projectId) {
        throw new AppError('bad_request', 'The chat belongs to another project.');
      }
      projectId = chat.projectId;
    }
    if (projectId === undefined) throw new AppError('bad_request', 'Give chatId or projectId.');
    const project = await getProject(this.sql, projectId);
    if (!project) throw notFound('project');
    return { chatId: scope.chatId, project };
  }
}

/** The pending queue of a project, whose folder must still be there. */
export function changesOf(sql: Sql, project: Project): ProjectChanges {
  const changes = ProjectChanges.open(sql, project);
  if (!changes) throw new AppError('conflict', `The folder of project "${project.name}" is gone.`);
  return changes;
}

export function toPendingChange(c: StoredChange): PendingChange {
  return {
    id: c.id,
    chatId: c.chatId,
    projectId: c.projectId,
    path: c.path,
    kind: c.kind,
    status: c.status,
    baseHash: c.baseHash,
    ...changeDiff(c.beforeContent, c.afterContent),
    checkpointId: c.checkpointId,
    createdAt: c.createdAt,
  };
}

function refusal(r: CoderRefusal): AppError {
  const code =
    r.code === 'nothing' ? 'bad_request' : r.code === 'limit_reached' ? r.code : 'conflict';
  return new AppError(code, r.message);
}
