import { ProjectChanges, unifiedDiff, type ChangeRequest } from '@boocode/files';
import { listCheckpoints, type Sql } from '@boocode/db';
import { z } from 'zod';
import type { ToolSpec } from './model-client.ts';
import { capResult, parseArguments, type ToolResult, type ToolSource } from './toolbox.ts';

const pathField = z.string().describe('Path relative to the project root, such as "src/index.ts".');

const EditFileArgs = z.object({
  path: pathField,
  old_string: z
    .string()
    .describe('The exact text to replace; it must occur exactly once in the file.'),
  new_string: z.string().describe('The text to put in its place.'),
});
const CreateFileArgs = z.object({
  path: pathField,
  content: z.string().describe('The whole content of the new file.'),
});
const DeleteFileArgs = z.object({ path: pathField });
const ApplyPendingArgs = z.object({
  ids: z
    .array(z.string())
    .min(1)
    .optional()
    .describe('Ids of the pending changes to apply; all of this chat when left out.'),
});
const RewindArgs = z.object({
  checkpoint_id: z
    .string()
    .optional()
    .describe(
      'The checkpoint to rewind to (it and every later one are undone); the latest when left out.',
    ),
});

const spec = (name: string, description: string, schema: z.ZodType): ToolSpec => ({
  name,
  description,
  parameters: z.toJSONSchema(schema) as Record<string, unknown>,
});

const queueSpecs: ToolSpec[] = [
  spec(
    'edit_file',
    'Replace one exact occurrence of old_string with new_string in a file. Nothing is written yet: the change is queued for the user to review as a diff. Refused when old_string is absent or occurs more than once (add surrounding lines to make it unique). Later edits of the same file build on the queued ones.',
    EditFileArgs,
  ),
  spec(
    'create_file',
    'Create a new file with the given content (refused if it exists). Queued for review, not written yet.',
    CreateFileArgs,
  ),
  spec('delete_file', 'Delete a file. Queued for review, not done yet.', DeleteFileArgs),
];
const autoSpecs: ToolSpec[] = [
  spec(
    'apply_pending',
    "Apply this chat's pending changes to the disk, all at once (all or nothing). Records a checkpoint that rewind can go back to.",
    ApplyPendingArgs,
  ),
  spec(
    'rewind',
    'Undo applied changes: put the files back as they were before a checkpoint.',
    RewindArgs,
  ),
];

/**
 * The write tools of a coder chat: `edit_file`, `create_file` and `delete_file` queue pending
 * changes and never touch the disk; `apply_pending` and `rewind` only when the chat's auto-apply
 * is on. Writes reach the chat's own project only, through the path guard; read grants stay read.
 */
export function writeToolSource(sql: Sql): ToolSource {
  return ({ chat, roots }) => {
    if (chat.kind !== 'coder') return null;
    const project = roots.find((p) => p.id === chat.projectId);
    if (!project) return null;
    const changes = ProjectChanges.open(sql, project);
    if (!changes) return null;
    const auto = chat.autoApply;
    const tools = new WriteTools(sql, changes, chat.id);
    return {
      specs: auto ? [...queueSpecs, ...autoSpecs] : queueSpecs,
      system: `This is a coder chat on the project "${project.name}". Change its files with edit_file, create_file and delete_file (paths relative to its root). They do not write anything at once: each queues a change that the user reviews as a diff and applies or rejects. Read a file before editing it, and give old_string exactly as in the file. ${
        auto
          ? 'The user lets you apply the queued changes yourself with apply_pending, and undo applied ones with rewind.'
          : 'Only the user applies the changes; say what you queued and why.'
      }`,
      async run(call) {
        const parsed = parseArguments(call);
        if (!parsed.ok) return parsed;
        switch (call.name) {
          case 'edit_file':
            return withArgs(EditFileArgs, parsed.args, (a) =>
              tools.queue({
                kind: 'edit',
                path: a.path,
                oldString: a.old_string,
                newString: a.new_string,
              }),
            );
          case 'create_file':
            return withArgs(CreateFileArgs, parsed.args, (a) =>
              tools.queue({ kind: 'create', path: a.path, content: a.content }),
            );
          case 'delete_file':
            return withArgs(DeleteFileArgs, parsed.args, (a) =>
              tools.queue({ kind: 'delete', path: a.path }),
            );
          case 'apply_pending':
            if (!auto) return { ok: false, text: 'Auto-apply is off: only the user applies.' };
            return withArgs(ApplyPendingArgs, parsed.args, (a) => tools.apply(a.ids));
          case 'rewind':
            if (!auto) return { ok: false, text: 'Auto-apply is off: only the user rewinds.' };
            return withArgs(RewindArgs, parsed.args, (a) => tools.rewind(a.checkpoint_id));
          default:
            return { ok: false, text: `There is no tool named ${call.name}.` };
        }
      },
    };
  };
}

class WriteTools {
  constructor(
    private readonly sql: Sql,
    private readonly changes: ProjectChanges,
    private readonly chatId: string,
  ) {}

  async queue(req: ChangeRequest): Promise<ToolResult> {
    const queued = await this.changes.queue(this.chatId, req);
    if (!queued.ok) return { ok: false, text: queued.message };
    const c = queued.change;
    const what = { edit: 'an edit of', create: 'the creation of', delete: 'the deletion of' }[
      c.kind
    ];
    const onTop = queued.onTopOf
      ? ` It builds on the pending change ${queued.onTopOf} to the same file.`
      : '';
    return {
      ok: true,
      text: capResult(
        `Queued ${what} "${c.path}" as pending change ${c.id}; the file on disk is unchanged until the change is applied.${onTop}\n${unifiedDiff(c.path, c.beforeContent, c.afterContent)}`,
      ),
    };
  }

  async apply(ids: string[] | undefined): Promise<ToolResult> {
    const r = await this.changes.apply({ chatId: this.chatId }, ids);
    if (!r.ok) return { ok: false, text: r.message };
    return {
      ok: true,
      text: `Applied ${r.applied.length} change${r.applied.length === 1 ? '' : 's'} (checkpoint ${r.checkpoint.id}): ${r.checkpoint.summary}.`,
    };
  }

  async rewind(checkpointId: string | undefined): Promise<ToolResult> {
    let id = checkpointId;
    if (id === undefined) {
      const standing = (await listCheckpoints(this.sql, { chatId: this.chatId })).find(
        (c) => c.rewoundAt === null,
      );
      if (!standing) return { ok: false, text: 'There is no applied checkpoint to rewind.' };
      id = standing.id;
    }
    const r = await this.changes.rewind(id);
    if (!r.ok) return { ok: false, text: r.message };
    return {
      ok: true,
      text: `Rewound ${r.rewound.length} checkpoint${r.rewound.length === 1 ? '' : 's'}; restored ${r.restored.join(', ')}.`,
    };
  }
}

async function withArgs<T>(
  schema: z.ZodType<T>,
  args: unknown,
  run: (a: T) => Promise<ToolResult>,
): Promise<ToolResult> {
  const r = schema.safeParse(args);
  if (!r.success) return { ok: false, text: `Invalid arguments: ${z.prettifyError(r.error)}` };
  return run(r.data);
}
