import type { CoderPaneState, PaneState } from '@boocode/protocol';
import { getLastModel } from '../../lib/last-model.ts';
import { NewOnProject } from '../projects/new-on-project.tsx';
import { createCoderChat } from './coder-api.ts';

/** The sidebar's coder block: "New coder" opens a coder pane on a chosen project. */
export function CoderSidebar({ open }: { open: (state: PaneState) => void }) {
  return (
    <div className="flex items-center gap-1 py-2 pr-3 pl-4">
      <h2 className="text-muted-foreground flex-1 text-xs font-medium tracking-wide uppercase">
        Coder
      </h2>
      <NewCoder open={open} />
    </div>
  );
}

function NewCoder({ open }: { open: (state: PaneState) => void }) {
  return (
    <NewOnProject
      label="New coder"
      title="Open a coder pane: an agent whose changes wait for your review"
      field={{ label: 'Project', name: 'Project' }}
      empty="Add a project first: a coder works on a project’s files."
      submit="Open coder"
      // A project is required (no `none` choice): projectId is never null here.
      create={(projectId) => createCoderChat(projectId ?? '', getLastModel() || undefined)}
      onCreated={(chat, projectId) =>
        open({ kind: 'coder', chatId: chat.id, projectId: projectId ?? '' })
      }
    />
  );
}

/** "Split right/down" beside a coder pane: a new coder chat on the same project and provider. */
export async function splitCoder(state: CoderPaneState): Promise<PaneState> {
  const chat = await createCoderChat(state.projectId);
  const next: CoderPaneState = { kind: 'coder', chatId: chat.id, projectId: state.projectId };
  return state.provider ? { ...next, provider: state.provider } : next;
}
