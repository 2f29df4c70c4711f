import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { CallDirection, CodePaneState, GraphLocation } from '@boocode/protocol';
import { Spinner } from '@boocode/ui';
import { FileCode } from 'lucide-react';
import { Group, Panel } from 'react-resizable-panels';
import { SplitHandle } from '../../components/split-handle.tsx';
import { errorMessage } from '../../lib/api.ts';
import { toastError } from '../../lib/toast.ts';
import { useProjects } from '../projects/project-api.ts';
import { PaneHeader } from '../workspace/pane-chrome.tsx';
import type { PaneProps } from '../workspace/pane-types.ts';
import { CallsPanel } from './calls-panel.tsx';
import { findDefinition, useFileText, useOutline } from './code-api.ts';
import { CodeViewer, type Position } from './code-viewer.tsx';
import { DefinitionBar, type DefinitionAnswer } from './definition-bar.tsx';
import { langOfPath, wordAt } from './file-lines.ts';
import { GoToFile, GoToSymbol } from './go-to-boxes.tsx';
import { GraphStatusLine } from './graph-status-line.tsx';
import { OutlinePanel } from './outline-panel.tsx';

/**
 * A code pane: one file of a project, read only, beside its outline and a symbol's callers
 * and callees from the code graph; Ctrl/Cmd+click or F12 on a name goes to its definition.
 */
export function CodePane({ state, update, setTitle }: PaneProps<CodePaneState>) {
  const { projectId, path, line } = state;
  const project = useProjects().data?.projects.find((p) => p.id === projectId);
  const base = path ? path.slice(path.lastIndexOf('/') + 1) : null;
  const title = `${base ?? 'Code'} · ${project?.name ?? 'project'}`;
  useEffect(() => setTitle(title), [setTitle, title]);
  const uid = useId();
  const file = useFileText(projectId, path);
  const outline = useOutline(projectId, path);
  // The name whose calls are shown, with the file it was picked in (which definition it means).
  const [symbol, setSymbol] = useState<{ name: string; path: string } | null>(null);
  const [calls, setCalls] = useState<{ direction: CallDirection; depth: number }>({
    direction: 'callers',
    depth: 1,
  });
  const [answer, setAnswer] = useState<DefinitionAnswer | null>(null);
  const fileBox = useRef<HTMLInputElement>(null);
  const symbolBox = useRef<HTMLInputElement>(null);

  const go = (to: { path: string; line?: number }) => {
    const next: CodePaneState = { kind: 'code', projectId, path: to.path };
    update(to.line ? { ...next, line: to.line } : next);
  };
  const open = (at: Pick<GraphLocation, 'path' | 'line'>) => go(at);

  const onCaret = (at: Position) => {
    const text = file.data?.lines[at.line - 1];
    const word = text === undefined ? null : wordAt(text, at.column);
    if (word && path) setSymbol({ name: word.word, path });
  };
  const onDefinition = (at: Position) => {
    if (!path) return;
    onCaret(at);
    findDefinition(projectId, { path, ...at }).then(
      (r) => {
        // One definition, or of several the one this file means (its own, or its import's).
        const one = r.definitions.length === 1 || r.meant ? r.definitions[0] : undefined;
        if (one) open(one);
        setAnswer(one && r.notes.length === 0 ? null : { ...r, went: !!one });
      },
      (err: unknown) => toastError(errorMessage(err)),
    );
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.shiftKey && e.key.toLowerCase() === 'p') {
      e.preventDefault();
      fileBox.current?.focus();
    } else if (mod && e.shiftKey && e.key.toLowerCase() === 'o') {
      e.preventDefault();
      symbolBox.current?.focus();
    }
  };

  return (
    <div className="flex h-full flex-col" onKeyDown={onKeyDown}>
      <PaneHeader icon={FileCode} title={title}>
        {path ? (
          <span
            className="text-muted-foreground hidden max-w-80 min-w-0 truncate font-mono text-xs lg:inline"
            title={path}
          >
            {path}
          </span>
        ) : null}
      </PaneHeader>
      <div className="border-border flex shrink-0 flex-wrap items-center gap-2 border-b px-2 py-1.5">
        <GoToFile projectId={projectId} inputRef={fileBox} onPick={(p) => go({ path: p })} />
        <GoToSymbol
          projectId={projectId}
          inputRef={symbolBox}
          onPick={(s) => {
            setSymbol({ name: s.name, path: s.path });
            open(s);
          }}
        />
        <GraphStatusLine projectId={projectId} />
      </div>
      {answer ? (
        <DefinitionBar
          answer={answer}
          onPick={(d) => {
            setAnswer(null);
            open(d);
          }}
          onClose={() => setAnswer(null)}
        />
      ) : null}
      <Group orientation="horizontal" className="min-h-0 flex-1">
        <Panel id={`code-file${uid}`} defaultSize="70%" minSize="30%" className="flex flex-col">
          {path === null ? (
            <p className="text-muted-foreground m-auto max-w-72 p-4 text-center text-sm">
              Open a file with Go to file (Ctrl+P) or a symbol with Go to symbol (Ctrl+Shift+O).
            </p>
          ) : file.isPending ? (
            <Spinner className="m-auto size-4" />
          ) : file.isError ? (
            <p
              role="alert"
              className="text-destructive-text m-auto max-w-96 p-4 text-center text-sm"
            >
              Cannot show {path}: {errorMessage(file.error)}
            </p>
          ) : (
            <>
              {file.data.cut ? (
                <p className="text-muted-foreground border-border border-b px-3 py-1 text-xs">
                  {file.data.cut}
                </p>
              ) : null}
              <CodeViewer
                path={file.data.path}
                lines={file.data.lines}
                lang={langOfPath(file.data.path)}
                line={line}
                onCaret={onCaret}
                onDefinition={onDefinition}
              />
            </>
          )}
        </Panel>
        <SplitHandle orientation="horizontal" />
        <Panel id={`code-side${uid}`} minSize="20%" className="flex flex-col">
          {path === null ? null : (
            <OutlinePanel
              outline={outline}
              line={line}
              selected={symbol?.name ?? null}
              onPick={(s) => {
                setSymbol({ name: s.name, path: s.path });
                open(s);
              }}
            />
          )}
          <CallsPanel
            projectId={projectId}
            symbol={symbol}
            direction={calls.direction}
            depth={calls.depth}
            onChange={setCalls}
            onOpen={open}
          />
        </Panel>
      </Group>
    </div>
  );
}
