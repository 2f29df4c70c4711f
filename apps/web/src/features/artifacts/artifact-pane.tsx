import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Button, cn } from '@boocode/ui';
import { Download, FileCode2, FileText, Globe, Image, X } from 'lucide-react';
import { CopyButton } from '../chat/copy-button.tsx';
import { HighlightedCode } from '../chat/code-block.tsx';
import { Markdown } from '../chat/markdown.tsx';
import { fileFor, type Artifact, type ArtifactKind } from './artifact.ts';
import { ArtifactOpenerContext } from './artifact-context.ts';
import { ArtifactFrame } from './artifact-frame.tsx';

type View = 'preview' | 'source';
const VIEWS: { view: View; label: string }[] = [
  { view: 'preview', label: 'Preview' },
  { view: 'source', label: 'Source' },
];

const ICONS: Record<ArtifactKind, typeof FileCode2> = {
  html: FileCode2,
  svg: Image,
  markdown: FileText,
};

interface Props {
  artifact: Artifact;
  onClose: () => void;
  /** Non-zero when the reader opened it (rather than the pane following the chat): take the focus. */
  focusRequest: number;
  /** A reply since has a newer page; shown when the reader asks. */
  onShowNewer: (() => void) | null;
}

/** The region beside the chat that shows one artifact: rendered, or as source. */
export function ArtifactPane({ artifact, onClose, focusRequest, onShowNewer }: Props) {
  const [view, setView] = useState<View>('preview');
  // Off for every artifact until the reader allows it: a page a model wrote could send what it
  // read (a file's secrets) anywhere.
  const [network, setNetwork] = useState(false);
  const ref = useRef<HTMLElement>(null);
  const id = useId();
  const Icon = ICONS[artifact.kind];

  useEffect(() => {
    if (focusRequest) ref.current?.focus({ preventScroll: true });
  }, [focusRequest]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    onClose();
  };

  return (
    <section
      ref={ref}
      aria-label="Artifact"
      tabIndex={-1}
      onKeyDown={onKeyDown}
      className="bg-background flex h-full min-w-0 flex-col outline-none"
    >
      <header className="border-border flex h-11 shrink-0 items-center gap-2 border-b pr-1.5 pl-3">
        <Icon aria-hidden="true" className="text-muted-foreground size-4 shrink-0" />
        <h2 className="min-w-0 flex-1 truncate text-sm font-medium" title={artifact.title}>
          {artifact.title}
        </h2>
        <ViewTabs id={id} view={view} onChange={setView} />
        <div className="flex items-center gap-0.5">
          {artifact.kind === 'markdown' ? null : (
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label="Allow network"
              aria-pressed={network}
              title={
                network
                  ? 'This page may use the network. Click to cut it off.'
                  : 'This page cannot load or send anything. Click to let it use the network.'
              }
              className={cn(network && 'text-primary bg-accent')}
              onClick={() => setNetwork((n) => !n)}
            >
              <Globe />
            </Button>
          )}
          <CopyButton text={artifact.code} label="Copy" />
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label="Download"
            title={`Download ${fileFor(artifact).name}`}
            onClick={() => download(artifact)}
          >
            <Download />
          </Button>
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label="Close artifact"
            title="Close artifact (Esc)"
            onClick={onClose}
          >
            <X />
          </Button>
        </div>
      </header>
      {onShowNewer ? (
        <div
          role="status"
          className="border-border bg-muted/60 flex shrink-0 flex-wrap items-center gap-x-3 gap-y-1 border-b px-3 py-1.5 text-xs"
        >
          <span className="text-muted-foreground">A newer version is in the chat.</span>
          <Button variant="outline" size="sm" className="h-6 px-2 text-xs" onClick={onShowNewer}>
            Show newer version
          </Button>
        </div>
      ) : null}
      {/* Both views stay mounted: switching to the source and back does not reload the frame. */}
      <div
        role="tabpanel"
        id={`${id}-preview`}
        aria-labelledby={`${id}-preview-tab`}
        hidden={view !== 'preview'}
        className={cn('min-h-0 flex-1', artifact.kind === 'markdown' && 'overflow-y-auto')}
      >
        {artifact.kind === 'markdown' ? (
          <div className="mx-auto max-w-3xl px-6 py-5 text-[15px] leading-7">
            {/* Its own code blocks stay code: opening one would replace the document shown. */}
            <ArtifactOpenerContext value={null}>
              <Markdown text={artifact.code} />
            </ArtifactOpenerContext>
          </div>
        ) : (
          <ArtifactFrame artifact={artifact} network={network} onEscape={onClose} />
        )}
      </div>
      <div
        role="tabpanel"
        id={`${id}-source`}
        aria-labelledby={`${id}-source-tab`}
        hidden={view !== 'source'}
        className="bg-code min-h-0 flex-1 overflow-auto"
      >
        <pre className="px-4 py-3 font-mono text-[13px] leading-5 text-[#e6edf3]">
          <HighlightedCode code={artifact.code} lang={artifact.kind} />
        </pre>
      </div>
    </section>
  );
}

/** "Preview" and "Source" as tabs: arrow keys move between them, as in any tab list. */
function ViewTabs({
  id,
  view,
  onChange,
}: {
  id: string;
  view: View;
  onChange: (view: View) => void;
}) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End')
      return;
    e.preventDefault();
    const i = VIEWS.findIndex((v) => v.view === view);
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? VIEWS.length - 1
          : (i + (e.key === 'ArrowRight' ? 1 : -1) + VIEWS.length) % VIEWS.length;
    const target = VIEWS[next];
    if (!target) return;
    onChange(target.view);
    document.getElementById(`${id}-${target.view}-tab`)?.focus();
  };
  return (
    <div
      role="tablist"
      aria-label="Artifact view"
      onKeyDown={onKeyDown}
      className="bg-muted flex shrink-0 items-center rounded-md p-0.5"
    >
      {VIEWS.map(({ view: v, label }) => (
        <button
          key={v}
          type="button"
          role="tab"
          id={`${id}-${v}-tab`}
          aria-selected={view === v}
          aria-controls={`${id}-${v}`}
          tabIndex={view === v ? 0 : -1}
          onClick={() => onChange(v)}
          className={cn(
            'focus-visible:ring-ring/60 h-6 cursor-pointer rounded-sm px-2 text-xs font-medium transition-colors outline-none focus-visible:ring-2',
            view === v
              ? 'bg-background text-foreground shadow-sm'
              : 'text-muted-foreground hover:text-foreground',
          )}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

function download(artifact: Artifact) {
  const { name, type } = fileFor(artifact);
  const url = URL.createObjectURL(new Blob([artifact.code], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked a little later: the download reads the blob after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
