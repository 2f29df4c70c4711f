import type { CodePaneState, PaneState } from '@boocode/protocol';
import { NewOnProject } from '../projects/new-on-project.tsx';

/** The sidebar's code block: "Open code" opens a code pane on a chosen project. */
export function CodeSidebar({ open }: { open: (state: PaneState) => void }) {
  return (
    <div className="flex items-center gap-1 py-2 pr-3 pl-4">
      <h2 className="text-muted-foreground flex-1 text-xs font-medium tracking-wide uppercase">
        Code
      </h2>
      <NewOnProject
        label="Browse code"
        title="Browse a project's code: outline, callers and callees, go to definition"
        field={{ label: 'Project', name: 'Project' }}
        empty="Add a project first: the code pane shows a project's files."
        submit="Open code"
        // A project is required (no `none` choice): projectId is never null here.
        create={(projectId) => Promise.resolve(projectId ?? '')}
        onCreated={(projectId) => open({ kind: 'code', projectId, path: null })}
      />
    </div>
  );
}

/** "Split right/down" beside a code pane: the same file, to read two places of it at once. */
export function splitCode(state: CodePaneState): PaneState {
  return { ...state };
}

/** Two code panes on the same file of the same project are one. */
export function codeIdentity(state: CodePaneState): string {
  return `${state.projectId}:${state.path ?? ''}`;
}
