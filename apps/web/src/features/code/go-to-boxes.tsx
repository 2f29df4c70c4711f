import type { Ref } from 'react';
import type { GraphSymbol } from '@boocode/protocol';
import { findFiles, findSymbols } from './code-api.ts';
import { KindTag } from './outline-panel.tsx';
import { QuickOpen } from './quick-open.tsx';

/** "Go to file": the project's indexed files whose path holds the words typed. */
export function GoToFile(props: {
  projectId: string;
  inputRef: Ref<HTMLInputElement>;
  onPick: (path: string) => void;
}) {
  const { projectId } = props;
  return (
    <QuickOpen
      label="Go to file"
      placeholder="Go to file… (Ctrl+P)"
      className="w-56"
      cacheKey={['code', projectId, 'find-files']}
      searchEmpty
      search={async (q, signal) => {
        const r = await findFiles(projectId, q, signal);
        return { items: r.files.map((f) => f.path), notes: r.notes };
      }}
      itemKey={(p) => p}
      renderItem={(p) => {
        const cut = p.lastIndexOf('/');
        return (
          <>
            {p.slice(cut + 1)}
            {cut > 0 ? <span className="text-muted-foreground"> {p.slice(0, cut)}</span> : null}
          </>
        );
      }}
      onPick={props.onPick}
      inputRef={props.inputRef}
    />
  );
}

/** "Go to symbol": the project's symbols by name, loosely (a typo away). */
export function GoToSymbol(props: {
  projectId: string;
  inputRef: Ref<HTMLInputElement>;
  onPick: (s: GraphSymbol) => void;
}) {
  const { projectId } = props;
  return (
    <QuickOpen
      label="Go to symbol"
      placeholder="Go to symbol… (Ctrl+Shift+O)"
      className="w-56"
      cacheKey={['code', projectId, 'find-symbols']}
      search={async (q, signal) => {
        const r = await findSymbols(projectId, q, signal);
        return { items: r.symbols, notes: r.notes };
      }}
      itemKey={(s) => `${s.path}:${s.line}:${s.column}`}
      renderItem={(s) => (
        <span className="flex items-center gap-1">
          <KindTag kind={s.kind} />
          <span className="truncate">{s.container ? `${s.container}.${s.name}` : s.name}</span>
          <span className="text-muted-foreground ml-auto truncate pl-2">
            {s.path}:{s.line}
          </span>
        </span>
      )}
      onPick={props.onPick}
      inputRef={props.inputRef}
    />
  );
}
